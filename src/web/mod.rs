//! The thin web layer: browser APIs behind small functions, so that components
//! read as UI and the engine never sees web-sys.

pub mod boot;
pub mod clipboard;
pub mod crash;
pub mod deadline;
pub mod download;
pub mod fetch;
pub mod files;
pub mod report_beacon;
pub mod report_bundle;
pub mod route;
pub mod service_worker;
pub mod storage;
pub mod understanding;
