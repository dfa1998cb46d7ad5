//! The GAR schemas as data, for the [`screen`](super::screen): each embedded XSD compiled into
//! the few things it says — the root elements and their keys, each complex type's sequence of
//! child elements with their occurrences, each simple type's maximum length, the attributes a
//! root requires. The GAR XSDs use a small part of XML Schema (sequences of named elements,
//! strings with a `maxLength`, `date`, one `extension`, `key`s on a root's children); the
//! compiler accepts that part only and refuses anything else, so that a schema it does not
//! fully understand is never used to clear a file.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::Event;

/// XML Schema's own namespace.
const XSD: &str = "http://www.w3.org/2001/XMLSchema";

/// A schema element's content the compiler does not accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("schema construct not supported by the built-in screen: {0}")]
pub struct Unsupported(pub String);

fn unsupported<T>(what: impl Into<String>) -> Result<T, Unsupported> {
    Err(Unsupported(what.into()))
}

/// One compiled schema.
#[derive(Debug)]
pub struct Grammar {
    /// Its target namespace: every element of a valid file is in it.
    pub namespace: String,
    /// The root elements it allows, by local name.
    pub roots: HashMap<String, Root>,
    /// Its complex types, which [`Content::Complex`] points into.
    pub types: Vec<Complex>,
}

/// A root element.
#[derive(Debug)]
pub struct Root {
    /// Its type, in [`Grammar::types`].
    pub complex: usize,
    /// Its keys: each child named `selector` is identified by the values of its `fields`.
    pub keys: Vec<Key>,
}

/// An `xs:key` on a root's children.
#[derive(Debug)]
pub struct Key {
    /// The key's name.
    pub name: String,
    /// The local name of the root's children it applies to.
    pub selector: String,
    /// The local names of their children whose values identify them, in order.
    pub fields: Vec<String>,
}

/// What an element may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// Text: a string of at most so many characters, or a date.
    Simple(Simple),
    /// Child elements, by the complex type in [`Grammar::types`].
    Complex(usize),
}

/// A simple type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Simple {
    /// `xs:string`, with its `maxLength` in characters if any.
    String(Option<usize>),
    /// `xs:date`.
    Date,
}

/// A complex type: a sequence of child elements, and the attributes it declares.
#[derive(Debug, Default)]
pub struct Complex {
    /// The sequence, in order; no two with the same name (checked), so a child's name alone
    /// says where it belongs.
    pub particles: Vec<Particle>,
    /// Declared attributes (unqualified names, type `string`) and whether each is required.
    pub attributes: Vec<(String, bool)>,
}

/// One element of a sequence.
#[derive(Debug)]
pub struct Particle {
    /// Its local name.
    pub name: String,
    /// What it holds.
    pub content: Content,
    /// `minOccurs`.
    pub min: u32,
    /// `maxOccurs`; `None` is unbounded.
    pub max: Option<u32>,
}

/// The schema's document, as a tree: local names (in XSD's namespace, checked), attributes.
#[derive(Debug)]
struct Node {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Node>,
}

impl Node {
    fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn require(&self, name: &str) -> Result<&str, Unsupported> {
        self.get(name)
            .ok_or_else(|| Unsupported(format!("<{}> without {name}", self.name)))
    }

    /// Children other than `annotation`, which says nothing to a validator.
    fn parts(&self) -> impl Iterator<Item = &Node> {
        self.children.iter().filter(|c| c.name != "annotation")
    }

    /// Refuses any attribute outside `allowed`.
    fn only(&self, allowed: &[&str]) -> Result<(), Unsupported> {
        match self
            .attributes
            .iter()
            .find(|(k, _)| !allowed.contains(&k.as_str()))
        {
            Some((k, _)) => unsupported(format!("{k}=… on <{}>", self.name)),
            None => Ok(()),
        }
    }
}

/// Reads an XSD into a tree. Namespace declarations are accepted on the `schema` element only,
/// and every element must be in XSD's namespace through them.
fn parse(text: &str) -> Result<(Node, HashMap<String, String>), Unsupported> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut bindings: HashMap<String, String> = HashMap::new();
    let mut stack: Vec<Node> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| Unsupported(format!("unreadable schema: {e}")))?;
        let (start, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                let node = stack
                    .pop()
                    .ok_or_else(|| Unsupported("unbalanced schema".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Ok((node, bindings)),
                }
                continue;
            }
            Event::Eof => return unsupported("truncated schema"),
            Event::DocType(_) => return unsupported("a DTD in the schema"),
            _ => continue,
        };
        let mut node = Node {
            name: String::new(),
            attributes: Vec::new(),
            children: Vec::new(),
        };
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| Unsupported(e.to_string()))?;
            let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
            let value = attribute
                .unescape_value()
                .map_err(|e| Unsupported(e.to_string()))?
                .into_owned();
            if key == "xmlns" || key.starts_with("xmlns:") {
                if !stack.is_empty() {
                    return unsupported("a namespace declared below <schema>");
                }
                bindings.insert(
                    key.trim_start_matches("xmlns")
                        .trim_start_matches(':')
                        .into(),
                    value,
                );
            } else {
                node.attributes.push((key, value));
            }
        }
        let qname = String::from_utf8_lossy(start.name().as_ref()).into_owned();
        let (prefix, local) = qname.split_once(':').unwrap_or(("", &qname));
        if bindings.get(prefix).map(String::as_str) != Some(XSD) {
            return unsupported(format!("<{qname}> outside XML Schema's namespace"));
        }
        node.name = local.to_string();
        if empty {
            match stack.last_mut() {
                Some(parent) => parent.children.push(node),
                None => return Ok((node, bindings)),
            }
        } else {
            stack.push(node);
        }
    }
}

/// Names as the schema writes them, resolved against its namespace declarations.
struct Names<'s> {
    bindings: &'s HashMap<String, String>,
    target: &'s str,
}

impl Names<'_> {
    /// A QName's local part, if it is in `namespace`.
    fn local<'q>(&self, qname: &'q str, namespace: &str) -> Option<&'q str> {
        let (prefix, local) = qname.split_once(':').unwrap_or(("", qname));
        (self.bindings.get(prefix).map(String::as_str) == Some(namespace)).then_some(local)
    }

    /// A built-in XSD type's local name, or the local name of one of the schema's own.
    fn kind<'q>(&self, qname: &'q str) -> Result<Kind<'q>, Unsupported> {
        if let Some(builtin) = self.local(qname, XSD) {
            Ok(Kind::Builtin(builtin))
        } else if let Some(own) = self.local(qname, self.target) {
            Ok(Kind::Own(own))
        } else {
            unsupported(format!("type {qname}"))
        }
    }

    /// A key's XPath: one child step in the target namespace (`men:GAREleve`), nothing more.
    fn step(&self, xpath: &str) -> Result<String, Unsupported> {
        let local = self.local(xpath, self.target).filter(|l| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
        local
            .map(str::to_string)
            .ok_or_else(|| Unsupported(format!("key path {xpath}")))
    }
}

enum Kind<'q> {
    Builtin(&'q str),
    Own(&'q str),
}

/// Compiles an XSD.
pub fn compile(text: &str) -> Result<Grammar, Unsupported> {
    let (schema, bindings) = parse(text)?;
    if schema.name != "schema" {
        return unsupported("a root other than <schema>");
    }
    schema.only(&["targetNamespace", "elementFormDefault"])?;
    if schema.get("elementFormDefault") != Some("qualified") {
        return unsupported("elementFormDefault other than qualified");
    }
    let target = schema.require("targetNamespace")?.to_string();
    let names = Names {
        bindings: &bindings,
        target: &target,
    };
    let mut simples = HashMap::new();
    let mut complexes = HashMap::new();
    let mut elements = Vec::new();
    for part in schema.parts() {
        match part.name.as_str() {
            "simpleType" => {
                simples.insert(part.require("name")?.to_string(), simple(part, &names)?);
            }
            "complexType" => {
                complexes.insert(part.require("name")?.to_string(), part);
            }
            "element" => elements.push(part),
            other => return unsupported(format!("<{other}> at the top of the schema")),
        }
    }
    let mut compiler = Compiler {
        names: &names,
        simples: &simples,
        complexes: &complexes,
        indices: HashMap::new(),
        types: Vec::new(),
    };
    let mut roots = HashMap::new();
    for element in elements {
        element.only(&["name", "type"])?;
        let name = element.require("name")?.to_string();
        let Kind::Own(own) = names.kind(element.require("type")?)? else {
            return unsupported(format!("root {name} of a built-in type"));
        };
        let complex = compiler.complex(own)?;
        let mut keys = Vec::new();
        for part in element.parts() {
            if part.name != "key" {
                return unsupported(format!("<{}> on root {name}", part.name));
            }
            keys.push(compiler.key(part, complex)?);
        }
        roots.insert(name, Root { complex, keys });
    }
    let types = compiler.types;
    Ok(Grammar {
        namespace: target.clone(),
        roots,
        types,
    })
}

/// A named simple type: a restriction of `string` by `maxLength`, nothing else.
fn simple(node: &Node, names: &Names<'_>) -> Result<Simple, Unsupported> {
    node.only(&["name"])?;
    let mut parts = node.parts();
    let (Some(restriction), None) = (parts.next(), parts.next()) else {
        return unsupported("a simple type that is not one restriction");
    };
    restriction.only(&["base"])?;
    if restriction.name != "restriction"
        || !matches!(
            names.kind(restriction.require("base")?)?,
            Kind::Builtin("string")
        )
    {
        return unsupported("a simple type other than a restriction of string");
    }
    let mut max = None;
    for facet in restriction.parts() {
        facet.only(&["value"])?;
        if facet.name != "maxLength" || max.is_some() {
            return unsupported(format!("facet <{}>", facet.name));
        }
        let value = facet.require("value")?;
        max = Some(
            value
                .parse()
                .map_err(|_| Unsupported(format!("maxLength {value}")))?,
        );
    }
    Ok(Simple::String(max))
}

struct Compiler<'s> {
    names: &'s Names<'s>,
    simples: &'s HashMap<String, Simple>,
    complexes: &'s HashMap<String, &'s Node>,
    /// Complex types compiled (or being compiled), by name.
    indices: HashMap<String, usize>,
    types: Vec<Complex>,
}

impl Compiler<'_> {
    /// The index of the complex type `name`, compiled on first use.
    fn complex(&mut self, name: &str) -> Result<usize, Unsupported> {
        if let Some(&index) = self.indices.get(name) {
            return Ok(index);
        }
        let node = *self
            .complexes
            .get(name)
            .ok_or_else(|| Unsupported(format!("undefined type {name}")))?;
        let index = self.types.len();
        self.types.push(Complex::default());
        self.indices.insert(name.to_string(), index);
        let compiled = self.body(node)?;
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = compiled.particles.iter().find(|p| !seen.insert(&p.name)) {
            return unsupported(format!("{} twice in the sequence of {name}", twice.name));
        }
        self.types[index] = compiled;
        Ok(index)
    }

    /// A complex type's sequence and attributes, its base's first for an extension.
    fn body(&mut self, node: &Node) -> Result<Complex, Unsupported> {
        node.only(&["name"])?;
        let mut complex = Complex::default();
        let mut parts: Vec<&Node> = node.parts().collect();
        if let [content] = parts.as_slice()
            && content.name == "complexContent"
        {
            content.only(&[])?;
            let mut inner = content.parts();
            let (Some(extension), None) = (inner.next(), inner.next()) else {
                return unsupported("complexContent that is not one extension");
            };
            extension.only(&["base"])?;
            let Kind::Own(base) = self.names.kind(extension.require("base")?)? else {
                return unsupported("an extension of a built-in type");
            };
            if extension.name != "extension" {
                return unsupported(format!("<{}> in complexContent", extension.name));
            }
            let base = self.complex(base)?;
            let base = &self.types[base];
            if base.particles.is_empty() && base.attributes.is_empty() {
                return unsupported("an extension of a type still being compiled");
            }
            complex.attributes.clone_from(&base.attributes);
            complex.particles = base
                .particles
                .iter()
                .map(|p| Particle {
                    name: p.name.clone(),
                    content: p.content,
                    min: p.min,
                    max: p.max,
                })
                .collect();
            parts = extension.parts().collect();
        }
        for (i, part) in parts.iter().enumerate() {
            match part.name.as_str() {
                "sequence" if i == 0 => {
                    part.only(&[])?;
                    for element in part.parts() {
                        complex.particles.push(self.particle(element)?);
                    }
                }
                "attribute" => {
                    part.only(&["name", "type", "use"])?;
                    if !matches!(
                        self.names.kind(part.require("type")?)?,
                        Kind::Builtin("string")
                    ) || part.parts().next().is_some()
                    {
                        return unsupported("an attribute other than a string");
                    }
                    let required = match part.get("use") {
                        Some("required") => true,
                        None | Some("optional") => false,
                        Some(other) => return unsupported(format!("use={other}")),
                    };
                    complex
                        .attributes
                        .push((part.require("name")?.to_string(), required));
                }
                other => return unsupported(format!("<{other}> in a complex type")),
            }
        }
        Ok(complex)
    }

    /// One `element` of a sequence: named, typed, with its occurrences.
    fn particle(&mut self, node: &Node) -> Result<Particle, Unsupported> {
        if node.name != "element" || node.parts().next().is_some() {
            return unsupported(format!("<{}> in a sequence", node.name));
        }
        node.only(&["name", "type", "minOccurs", "maxOccurs"])?;
        let name = node.require("name")?.to_string();
        let content = match self.names.kind(node.require("type")?)? {
            Kind::Builtin("string") => Content::Simple(Simple::String(None)),
            Kind::Builtin("date") => Content::Simple(Simple::Date),
            Kind::Builtin(other) => return unsupported(format!("type {other}")),
            Kind::Own(own) => match self.simples.get(own) {
                Some(simple) => Content::Simple(*simple),
                None => Content::Complex(self.complex(own)?),
            },
        };
        let occurs = |attribute: &str| -> Result<Option<u32>, Unsupported> {
            match node.get(attribute) {
                None => Ok(Some(1)),
                Some("unbounded") if attribute == "maxOccurs" => Ok(None),
                Some(n) => n
                    .parse()
                    .map(Some)
                    .map_err(|_| Unsupported(format!("{attribute}={n}"))),
            }
        };
        let min = occurs("minOccurs")?.unwrap_or(1);
        let max = occurs("maxOccurs")?;
        if max.is_some_and(|max| max < min || max == 0) {
            return unsupported(format!("occurrences {min}..{max:?} of {name}"));
        }
        Ok(Particle {
            name,
            content,
            min,
            max,
        })
    }

    /// A key on a root's children: its selector is one of the root type's particles, its
    /// fields simple children of that particle's type.
    fn key(&self, node: &Node, root: usize) -> Result<Key, Unsupported> {
        node.only(&["name"])?;
        let name = node.require("name")?.to_string();
        let mut selector = None;
        let mut fields = Vec::new();
        for part in node.parts() {
            part.only(&["xpath"])?;
            let step = self.names.step(part.require("xpath")?)?;
            match part.name.as_str() {
                "selector" if selector.is_none() && fields.is_empty() => selector = Some(step),
                "field" if selector.is_some() => fields.push(step),
                other => return unsupported(format!("<{other}> in key {name}")),
            }
        }
        let selector =
            selector.ok_or_else(|| Unsupported(format!("key {name} without selector")))?;
        let selected = self.types[root]
            .particles
            .iter()
            .find(|p| p.name == selector)
            .ok_or_else(|| Unsupported(format!("key {name} selects no child")))?;
        let Content::Complex(selected) = selected.content else {
            return unsupported(format!("key {name} on a simple element"));
        };
        for field in &fields {
            let found = self.types[selected]
                .particles
                .iter()
                .find(|p| p.name == *field);
            if !matches!(found, Some(p) if matches!(p.content, Content::Simple(Simple::String(_))))
            {
                return unsupported(format!("key {name}: field {field} is not a string child"));
            }
        }
        if fields.is_empty() {
            return unsupported(format!("key {name} without fields"));
        }
        Ok(Key {
            name,
            selector,
            fields,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_both_embedded_schemas() {
        for (text, namespace, roots) in [
            (super::super::schema::XSD_2D, super::super::reader::NS_2D, 5),
            (super::super::schema::XSD_1D, super::super::reader::NS_1D, 5),
        ] {
            let grammar = compile(text).unwrap();
            assert_eq!(grammar.namespace, namespace);
            assert_eq!(grammar.roots.len(), roots);
            let eleve = &grammar.roots["GAR-ENT-Eleve"];
            assert_eq!(
                grammar.types[eleve.complex].attributes,
                [("Version".to_string(), true)]
            );
            assert!(
                eleve
                    .keys
                    .iter()
                    .any(|k| k.selector == "GAREleve" && k.fields == ["GARPersonIdentifiant"])
            );
        }
    }

    #[test]
    fn refuses_what_it_does_not_understand() {
        let schema = |body: &str| {
            format!(
                "<schema xmlns=\"{XSD}\" xmlns:m=\"urn:x\" targetNamespace=\"urn:x\" elementFormDefault=\"qualified\">{body}</schema>"
            )
        };
        for body in [
            "<complexType name=\"T\"><choice><element name=\"a\" type=\"string\"/></choice></complexType><element name=\"r\" type=\"m:T\"/>",
            "<simpleType name=\"S\"><restriction base=\"string\"><pattern value=\"x\"/></restriction></simpleType>",
            "<complexType name=\"T\"><sequence><element name=\"a\" type=\"string\" nillable=\"true\"/></sequence></complexType><element name=\"r\" type=\"m:T\"/>",
            "<complexType name=\"T\"><sequence><element name=\"a\" type=\"int\"/></sequence></complexType><element name=\"r\" type=\"m:T\"/>",
            "<complexType name=\"T\"><sequence><element name=\"a\" type=\"string\"/><element name=\"a\" type=\"string\" minOccurs=\"0\"/></sequence></complexType><element name=\"r\" type=\"m:T\"/>",
            "<complexType name=\"T\" mixed=\"true\"><sequence/></complexType><element name=\"r\" type=\"m:T\"/>",
            "<complexType name=\"T\"><sequence><element name=\"a\" type=\"string\"/></sequence></complexType><element name=\"r\" type=\"m:T\"><unique name=\"u\"><selector xpath=\"m:a\"/><field xpath=\".\"/></unique></element>",
            "<complexType name=\"T\"><sequence><element name=\"a\" type=\"string\"/></sequence></complexType><element name=\"r\" type=\"m:T\"><key name=\"k\"><selector xpath=\".//m:a\"/><field xpath=\"m:b\"/></key></element>",
        ] {
            assert!(compile(&schema(body)).is_err(), "accepted {body}");
        }
        let fine = "<complexType name=\"T\"><sequence><element name=\"a\" type=\"string\"/></sequence></complexType><element name=\"r\" type=\"m:T\"/>";
        assert!(compile(&schema(fine)).is_ok());
    }
}
