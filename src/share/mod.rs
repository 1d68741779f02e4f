//! Sharing a run: the link that replays it (`url`), and the bridge to real AWS
//! (`aws`): the settings as CLI commands and CloudFormation, and a pasted real
//! configuration read back in. Pure: tested natively, used by the page.

pub mod aws;
pub mod decimal;
pub mod url;
