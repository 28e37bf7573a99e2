//! Order data for the support bot: a CSV or JSON export with the fields
//! `id, status, expected_delivery, items`, looked up by ID ignoring case.
//!
//! ```
//! use chatdeck::engine::orders::OrderBook;
//! let book = OrderBook::from_csv(b"id,status,expected_delivery,items\nABC12345,Shipped,2026-12-01,Laptop\n").unwrap();
//! assert_eq!(book.find("abc12345").map(|o| o.status.as_str()), Some("Shipped"));
//! ```

use std::collections::HashMap;

use serde::Deserialize;

use crate::engine::csv::{self, CsvError};

/// One order as the shop's export describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Order {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub expected_delivery: String,
    #[serde(default)]
    pub items: String,
}

/// Orders indexed by upper-cased ID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderBook {
    by_id: HashMap<String, Order>,
}

/// Why an order export could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrdersError {
    Csv(CsvError),
    Json(String),
    /// A required column is missing from the header.
    MissingColumn(&'static str),
    /// A row has no ID or no status.
    IncompleteRow {
        line: usize,
    },
    /// An order of a JSON list (counted from 1) has no ID or no status.
    IncompleteEntry {
        number: usize,
    },
}

impl std::fmt::Display for OrdersError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OrdersError::Csv(e) => write!(f, "{e}"),
            OrdersError::Json(e) => write!(f, "the JSON is not a list of orders ({e})"),
            OrdersError::MissingColumn(c) => write!(f, "the header has no \"{c}\" column"),
            OrdersError::IncompleteRow { line } => {
                write!(f, "line {line} has no order ID or status")
            }
            OrdersError::IncompleteEntry { number } => {
                write!(f, "order {number} of the list has no order ID or status")
            }
        }
    }
}

impl OrderBook {
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Every order, in no particular order.
    pub fn orders(&self) -> impl Iterator<Item = &Order> {
        self.by_id.values()
    }

    /// The order with this ID, ignoring case.
    pub fn find(&self, id: &str) -> Option<&Order> {
        self.by_id.get(&id.to_ascii_uppercase())
    }

    fn from_orders(orders: impl IntoIterator<Item = Order>) -> Self {
        let by_id = orders.into_iter().map(|o| (o.id.to_ascii_uppercase(), o)).collect();
        Self { by_id }
    }

    /// Reads a CSV export; columns are found by name, extra columns are ignored.
    pub fn from_csv(bytes: &[u8]) -> Result<Self, OrdersError> {
        let table = csv::parse(bytes).map_err(OrdersError::Csv)?;
        let column = |name: &'static str| table.column(name).ok_or(OrdersError::MissingColumn(name));
        let (id, status) = (column("id")?, column("status")?);
        let (delivery, items) = (table.column("expected_delivery"), table.column("items"));
        let field = |row: &csv::Row, i: Option<usize>| {
            i.and_then(|i| row.fields.get(i)).map(|s| s.trim().to_string()).unwrap_or_default()
        };
        let mut orders = Vec::with_capacity(table.rows.len());
        for row in &table.rows {
            let order = Order {
                id: field(row, Some(id)),
                status: field(row, Some(status)),
                expected_delivery: field(row, delivery),
                items: field(row, items),
            };
            if order.id.is_empty() || order.status.is_empty() {
                return Err(OrdersError::IncompleteRow { line: row.line });
            }
            orders.push(order);
        }
        Ok(Self::from_orders(orders))
    }

    /// Reads a JSON array of objects with the same fields, held to the CSV's rules:
    /// fields trimmed, every order with an ID and a status. A leading byte-order
    /// mark (PowerShell and many Windows tools write one) is skipped.
    pub fn from_json(bytes: &[u8]) -> Result<Self, OrdersError> {
        // As text first: the app parses all its JSON from `&str` (one copy of serde_json's
        // reader in the wasm, not two).
        let text =
            std::str::from_utf8(without_bom(bytes)).map_err(|_| OrdersError::Json("it is not UTF-8 text".into()))?;
        let orders: Vec<Order> = serde_json::from_str(text).map_err(|e| OrdersError::Json(e.to_string()))?;
        let mut checked = Vec::with_capacity(orders.len());
        for (i, order) in orders.into_iter().enumerate() {
            let order = Order {
                id: order.id.trim().to_string(),
                status: order.status.trim().to_string(),
                expected_delivery: order.expected_delivery.trim().to_string(),
                items: order.items.trim().to_string(),
            };
            if order.id.is_empty() || order.status.is_empty() {
                return Err(OrdersError::IncompleteEntry { number: i + 1 });
            }
            checked.push(order);
        }
        Ok(Self::from_orders(checked))
    }

    /// Reads either format: JSON when the content starts like JSON, CSV otherwise.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, OrdersError> {
        if without_bom(bytes).iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
            Self::from_json(bytes)
        } else {
            Self::from_csv(bytes)
        }
    }
}

/// `bytes` without a leading UTF-8 byte-order mark.
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Where the order data stands: the shell loads it, the bot reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Orders {
    #[default]
    Loading,
    Ready(OrderBook),
    Failed(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_by_column_name_with_extra_columns() {
        let csv = "Items,ID,Status,Customer,Expected_Delivery\n\"Mouse, USB\",zx81ab,Delivered,Ann,2026-11-20\n";
        let book = OrderBook::from_csv(csv.as_bytes()).expect("valid");
        let order = book.find("ZX81AB").expect("found ignoring case");
        assert_eq!(order.items, "Mouse, USB");
        assert_eq!(order.expected_delivery, "2026-11-20");
    }

    #[test]
    fn json_and_detection() {
        let json = br#" [{"id":"AB12CD34","status":"Shipped","items":"Lamp"}]"#;
        let book = OrderBook::from_bytes(json).expect("valid");
        assert_eq!(book.find("ab12cd34").map(|o| o.items.as_str()), Some("Lamp"));
        assert!(matches!(OrderBook::from_bytes(b"[{\"id\":1}]"), Err(OrdersError::Json(_))));
        let latin1 = OrderBook::from_json(b"[{\"id\":\"AB12CD34\",\"status\":\"Exp\xe9di\xe9\"}]").err();
        assert_eq!(
            latin1.map(|e| e.to_string()).as_deref(),
            Some("the JSON is not a list of orders (it is not UTF-8 text)")
        );
    }

    #[test]
    fn json_with_a_byte_order_mark() {
        let json = b"\xEF\xBB\xBF[{\"id\":\"AB12CD34\",\"status\":\"Shipped\"}]\r\n";
        let book = OrderBook::from_bytes(json).expect("a BOM before JSON is skipped");
        assert_eq!(book.find("AB12CD34").map(|o| o.status.as_str()), Some("Shipped"));
        let book = OrderBook::from_json(b"\xEF\xBB\xBF \n[]").expect("by either entry point");
        assert!(book.is_empty());
        let csv = OrderBook::from_bytes(b"\xEF\xBB\xBFid,status\nAB12CD34,Shipped\n").expect("and before CSV");
        assert_eq!(csv.len(), 1);
    }

    #[test]
    fn json_orders_need_an_id_and_a_status_like_csv_rows() {
        let json = |body: &str| OrderBook::from_bytes(body.as_bytes());
        let incomplete = |number| Err(OrdersError::IncompleteEntry { number });
        assert_eq!(json(r#"[{"id":"AB12CD34","status":"Shipped"},{"id":"","status":"Shipped"}]"#), incomplete(2));
        assert_eq!(json(r#"[{"id":"  ","status":"Shipped"}]"#), incomplete(1));
        assert_eq!(json(r#"[{"id":"AB12CD34","status":" "}]"#), incomplete(1));
        assert!(matches!(json(r#"[{"id":"AB12CD34"}]"#), Err(OrdersError::Json(_))), "status is required");
        let book = json(r#"[{"id":" ab12cd34 ","status":" Shipped ","items":" Lamp "}]"#).expect("valid");
        let order = book.find("AB12CD34").expect("the ID is trimmed as in a CSV");
        assert_eq!((order.status.as_str(), order.items.as_str()), ("Shipped", "Lamp"));
        assert_eq!(
            OrdersError::IncompleteEntry { number: 2 }.to_string(),
            "order 2 of the list has no order ID or status"
        );
    }

    #[test]
    fn bad_exports_are_explained() {
        assert_eq!(OrderBook::from_csv(b"id,items\nA,b\n"), Err(OrdersError::MissingColumn("status")));
        assert_eq!(OrderBook::from_csv(b"id,status\nA,\n"), Err(OrdersError::IncompleteRow { line: 2 }));
        assert!(OrderBook::from_csv(b"").is_err());
    }

    #[test]
    fn demo_data_is_valid() {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/public/orders.csv")).expect("demo file");
        let book = OrderBook::from_csv(&bytes).expect("demo orders parse");
        assert!(book.len() >= 30, "a few dozen demo orders");
        for order in book.by_id.values() {
            assert!(crate::engine::bots::support::is_order_id(&order.id), "{} is a valid ID", order.id);
        }
    }
}
