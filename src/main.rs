//! The wasm entry point: mounts the app. Natively there is nothing to run.

#[cfg(target_arch = "wasm32")]
fn main() {
    chatdeck::web::crash::install_panic_hook();
    leptos::mount::mount_to_body(chatdeck::ui::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("chatdeck runs in the browser: `trunk serve` (see README.md)");
}
