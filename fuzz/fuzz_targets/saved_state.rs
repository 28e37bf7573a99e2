//! Whatever localStorage holds (another tab, an old version, a user's edits) is
//! decoded without panicking, and what decodes re-encodes to the same meaning.
#![no_main]

use chatdeck::engine::bots::DialogState;
use chatdeck::engine::markdown;
use chatdeck::engine::saved;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok((transcript, state)) = saved::decode::<DialogState>(text) {
        let again = saved::encode(&transcript, state.as_ref());
        let (transcript2, state2) = saved::decode::<DialogState>(&again).expect("what was encoded decodes");
        assert_eq!(state2, state);
        assert_eq!(transcript2, transcript);
        for message in &transcript.messages {
            let _ = markdown::parse(&message.text);
        }
    }
    // Saved text is rendered as Markdown: any text must parse.
    let _ = markdown::parse(text);
    let _ = markdown::plain_text(text);
});
