//! What the page shows, computed without a browser: the stream picture's layout and
//! colours (`picture`), the page as a pure model (`page`), the concurrency grid (`grid`), the charts' series (`charts`),
//! two runs side by side (`compare`), every setting described once (`knobs`), number
//! formatting (`format`), frame pacing (`pace`) and its wall-clock budget (`budget`), the time controls' logic
//! (`timebar`), the shard table (`table`), the built-in scenarios (`scenarios`), the
//! page's link and embed options (`embed`), the embed's message interface
//! (`postmessage`), the open tumbling windows in words (`windows`) and SVG export (`svg`). Pure, so it
//! compiles and is tested natively; `ui`
//! only paints it and wires it to the DOM.

pub mod budget;
pub mod charts;
pub mod compare;
pub mod embed;
pub mod format;
pub mod grid;
pub mod knobs;
pub mod lesson;
pub mod lesson_challenge;
pub mod pace;
pub mod page;
pub mod picture;
pub mod postmessage;
pub mod presenter;
pub mod scenarios;
pub mod start;
pub mod svg;
pub mod table;
pub mod timebar;
pub mod trace;
pub mod windows;
