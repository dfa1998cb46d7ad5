//! One request (`addRequest`, `modifyRequest`, `deleteRequest`) as the scanner assembles it. The
//! buffers are reused from one record to the next, so a million records cost no allocation each;
//! counts and sizes are capped so a hostile record cannot grow them without bound.

/// Attributes kept per record.
pub const MAX_ATTRS: usize = 4096;
/// Values kept per attribute.
pub const MAX_VALUES: usize = 4096;
/// Bytes kept per value: enough to see it is over 1000 characters.
pub const MAX_VALUE_BYTES: usize = 8 * 1024;

/// The request kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `addRequest`: a whole record.
    Add,
    /// `modifyRequest`: changed attributes.
    Modify,
    /// `deleteRequest`: an identifier only.
    Delete,
}

/// One attribute (`attr` or `modification`) and its values.
#[derive(Debug, Default)]
pub struct Attr {
    /// Its name.
    pub name: String,
    /// The line of its start tag.
    pub line: u64,
    values: Vec<String>,
    count: usize,
}

impl Attr {
    /// Its values, in order (empty strings for `<value/>`).
    pub fn values(&self) -> &[String] {
        &self.values[..self.count]
    }

    /// The values that are not empty.
    pub fn non_empty(&self) -> impl Iterator<Item = &str> {
        self.values()
            .iter()
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The value being filled.
    pub fn last_value(&mut self) -> Option<&mut String> {
        self.count.checked_sub(1).map(|i| &mut self.values[i])
    }

    /// Starts a new value; `None` past the cap.
    pub fn push_value(&mut self) -> Option<&mut String> {
        if self.count == MAX_VALUES {
            return None;
        }
        if self.count == self.values.len() {
            self.values.push(String::new());
        }
        let value = &mut self.values[self.count];
        value.clear();
        self.count += 1;
        Some(value)
    }
}

/// One request.
#[derive(Debug)]
pub struct Record {
    /// Which request.
    pub op: Op,
    /// The line of its start tag.
    pub line: u64,
    /// The `identifier/id` text (trimmed).
    pub id: String,
    /// The operational attribute (the record's category).
    pub category: Attr,
    /// How many `attr` the operationalAttributes held.
    pub category_count: usize,
    attrs: Vec<Attr>,
    count: usize,
}

impl Default for Record {
    fn default() -> Self {
        Record {
            op: Op::Add,
            line: 0,
            id: String::new(),
            category: Attr::default(),
            category_count: 0,
            attrs: Vec::new(),
            count: 0,
        }
    }
}

impl Record {
    /// Empties the record for the next request, keeping its buffers.
    pub fn reset(&mut self, op: Op, line: u64) {
        self.op = op;
        self.line = line;
        self.id.clear();
        self.category.name.clear();
        self.category.count = 0;
        self.category_count = 0;
        self.count = 0;
    }

    /// The attributes, in order.
    pub fn attrs(&self) -> &[Attr] {
        &self.attrs[..self.count]
    }

    /// The record id, or `None` when it has none yet.
    pub fn id(&self) -> Option<&str> {
        (!self.id.is_empty()).then_some(self.id.as_str())
    }

    /// Starts a new attribute; `None` past the cap.
    pub fn push_attr(&mut self, name: &str, line: u64) -> Option<&mut Attr> {
        if self.count == MAX_ATTRS {
            return None;
        }
        if self.count == self.attrs.len() {
            self.attrs.push(Attr::default());
        }
        let attr = &mut self.attrs[self.count];
        attr.name.clear();
        attr.name.push_str(name);
        attr.line = line;
        attr.count = 0;
        self.count += 1;
        Some(attr)
    }

    /// The attribute being filled, if any.
    pub fn last_attr(&mut self) -> Option<&mut Attr> {
        self.count.checked_sub(1).map(|i| &mut self.attrs[i])
    }

    /// Starts the operational attribute.
    pub fn start_category(&mut self, name: &str, line: u64) -> &mut Attr {
        self.category_count += 1;
        if self.category_count == 1 {
            self.category.name.push_str(name);
            self.category.line = line;
        }
        &mut self.category
    }
}

/// Appends text to a value, up to [`MAX_VALUE_BYTES`] (at a character boundary).
pub fn append_capped(value: &mut String, text: &str) {
    let room = MAX_VALUE_BYTES.saturating_sub(value.len());
    if text.len() <= room {
        value.push_str(text);
    } else {
        let mut cut = room;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        value.push_str(&text[..cut]);
    }
}
