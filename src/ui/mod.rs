//! STUB: the web app.
pub fn start() {}
