//! The page's keys, outside form fields: Space or K plays and pauses, `.` steps one
//! second, N runs to the next event, P enters presenter mode, `?` lists the keys. In
//! presenter mode its own keys take over (`view::presenter`).

use crate::view::presenter::{act_for, enters, takes_key, Act, PresenterKey};

use super::TimeAction;

/// A key pressed, as the page reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key<'a> {
    /// `KeyboardEvent.key`.
    pub key: &'a str,
    /// The key went to a field that types or picks with keys (a radio button or a
    /// checkbox does not count: a clicker's Space must still move a talk on).
    pub in_field: bool,
    /// The key went to any control (a field, a button, a summary): the page's own
    /// time keys leave it alone.
    pub on_control: bool,
    /// Ctrl, Alt or Meta was held.
    pub modified: bool,
}

/// What a key asks of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAct {
    Present(Act),
    /// Open the list of keys.
    KeysHelp,
    Time(TimeAction),
}

/// Presenter mode's state, as the keys need it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Presenting {
    pub on: bool,
    /// Digits typed, waiting for Enter.
    pub typing: bool,
    /// The screen is blanked: any key shows it again.
    pub blank: bool,
}

/// What `k` does, and whether the browser's own action for it is to be prevented.
pub fn act(k: Key<'_>, presenting: Presenting) -> Option<(KeyAct, bool)> {
    let pk = PresenterKey {
        key: k.key,
        in_field: k.in_field,
        modified: k.modified,
    };
    if presenting.on {
        let act = act_for(pk, presenting.typing, presenting.blank)?;
        return Some((KeyAct::Present(act), takes_key(pk)));
    }
    if enters(pk) {
        return Some((KeyAct::Present(Act::Toggle), true));
    }
    if k.key == "?" && !k.in_field && !k.modified {
        return Some((KeyAct::KeysHelp, true));
    }
    if k.modified || k.on_control {
        return None;
    }
    let time = match k.key {
        " " | "k" | "K" => TimeAction::TogglePlay,
        "." => TimeAction::Step,
        "n" | "N" => TimeAction::Seek,
        _ => return None,
    };
    Some((KeyAct::Time(time), true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: &str) -> Key<'_> {
        Key {
            key,
            in_field: false,
            on_control: false,
            modified: false,
        }
    }

    #[test]
    fn the_pages_keys_play_step_seek_present_and_list_themselves() {
        let off = Presenting::default();
        let time = |a| Some((KeyAct::Time(a), true));
        assert_eq!(act(key(" "), off), time(TimeAction::TogglePlay));
        assert_eq!(act(key("K"), off), time(TimeAction::TogglePlay));
        assert_eq!(act(key("."), off), time(TimeAction::Step));
        assert_eq!(act(key("n"), off), time(TimeAction::Seek));
        assert_eq!(
            act(key("p"), off),
            Some((KeyAct::Present(Act::Toggle), true))
        );
        assert_eq!(act(key("?"), off), Some((KeyAct::KeysHelp, true)));
        assert_eq!(act(key("x"), off), None);
    }

    #[test]
    fn keys_in_fields_and_with_modifiers_are_left_to_the_browser() {
        let off = Presenting::default();
        let button = Key {
            on_control: true,
            ..key(" ")
        };
        assert_eq!(act(button, off), None, "Space on a button presses it");
        let help_on_button = Key {
            on_control: true,
            ..key("?")
        };
        assert_eq!(act(help_on_button, off), Some((KeyAct::KeysHelp, true)));
        let typed = Key {
            in_field: true,
            on_control: true,
            ..key("?")
        };
        assert_eq!(act(typed, off), None);
        let ctrl = Key {
            modified: true,
            ..key("n")
        };
        assert_eq!(act(ctrl, off), None);
        assert_eq!(
            act(
                Key {
                    in_field: true,
                    ..key("p")
                },
                off
            ),
            None
        );
    }

    #[test]
    fn presenter_mode_takes_the_keys_over() {
        let on = Presenting {
            on: true,
            ..Presenting::default()
        };
        assert_eq!(act(key("?"), on), Some((KeyAct::Present(Act::Help), true)));
        assert!(matches!(
            act(key(" "), on),
            Some((KeyAct::Present(_), true))
        ));
        let blank = Presenting { blank: true, ..on };
        assert_eq!(
            act(key("x"), blank),
            Some((KeyAct::Present(Act::Show), true))
        );
    }
}
