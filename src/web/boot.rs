//! The page before the app: index.html draws the chat's frame with a message box that
//! takes typing at once, while the app's code is still on its way. When the app starts
//! it takes what was typed there (and whether it was already sent) and removes that
//! frame, in the same task as it draws its own, so the two are never both on screen.

use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;

/// What the visitor did in the page's own message box before the app started.
pub struct EarlyInput {
    pub text: String,
    /// Enter (or the send button) was pressed: the text is a message, not a draft.
    pub sent: bool,
    /// The box had the focus: the app's box gets it.
    pub focused: bool,
}

/// Takes what was typed before the app started, and removes the page's frame. `None`
/// when there is none (the report page, or a page without it).
pub fn take() -> Option<EarlyInput> {
    let document = web_sys::window()?.document()?;
    let shell = document.get_element_by_id("chatdeck-boot-shell")?;
    let early =
        shell.query_selector("textarea").ok().flatten().and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok()).map(
            |textarea| EarlyInput {
                text: textarea.value(),
                sent: shell.has_attribute("data-send"),
                focused: document.active_element().is_some_and(|e| e == *textarea.unchecked_ref::<web_sys::Element>()),
            },
        );
    shell.remove();
    early
}
