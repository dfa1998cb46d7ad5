//! The rules applied to each record of one file: its category, identifier, attribute names for
//! the file's kind and degree, required attributes, value shapes, and its references to other
//! records. References to kinds read in an earlier phase are checked at once; the others wait in
//! [`Pending`] until the whole set has been read.

mod registry;
mod resolve;
mod sequence;

use std::collections::HashSet;

use super::code::Code;
use super::finding::Findings;
use super::kind::{Degree, Kind};
use super::links::{Key, Known};
use super::record::{Op, Record};
use super::scan::{Handler, Header};
use super::schema::{self, AttrSet, AttrSpec, Order, Schema, Target};
use super::values;
pub use registry::{Registry, duplicate_id};
pub use resolve::{Pending, Reference, resolve};
use sdet_core::text::Text;
use sequence::Handed;
pub use sequence::{Duplicates, Position};

/// Identifiers a piece collects before trying to register them.
const BATCH: usize = 4096;

/// The phase a kind is read in: references only ever point at earlier phases, or wait.
pub fn phase(kind: Kind) -> u8 {
    match kind {
        Kind::EtabEducNat | Kind::MatiereEducNat | Kind::MefEducNat => 0,
        Kind::PersRelEleve | Kind::PersEducNat => 1,
        Kind::Eleve => 2,
    }
}

/// Checks the records of one file.
pub struct FileChecker<'a> {
    kind: Kind,
    degree: Option<Degree>,
    schema: Option<&'static Schema>,
    known: &'a Known,
    registry: &'a Registry,
    /// Which piece of which file this is.
    position: Position,
    /// This piece's identifiers not registered yet.
    ids: Handed,
    /// References waiting for the end of the set.
    pub pending: Vec<Pending>,
    noted: HashSet<Target>,
    seen: AttrSet,
    filled: AttrSet,
    order: Order,
}

impl<'a> FileChecker<'a> {
    /// A checker for the piece at `position` of a file of `kind`.
    pub fn new(kind: Kind, position: Position, known: &'a Known, registry: &'a Registry) -> Self {
        FileChecker {
            kind,
            position,
            degree: None,
            schema: None,
            known,
            registry,
            ids: Vec::new(),
            pending: Vec::new(),
            noted: HashSet::new(),
            seen: AttrSet::default(),
            filled: AttrSet::default(),
            order: Order::default(),
        }
    }

    /// The degree the file was read as.
    pub fn degree(&self) -> Option<Degree> {
        self.degree
    }

    /// Hands this piece's identifiers over for registration; call at the end of the piece.
    pub fn finish(&mut self) {
        self.registry
            .hand_over(self.kind, self.position, std::mem::take(&mut self.ids));
    }

    /// Notes the record's identifier for the uniqueness check (done in file order when the piece
    /// ends) and, for a structure, what later files look up: its identifier, jointures, codes.
    fn register(&mut self, record: &Record) {
        let Some(id) = record.id() else { return };
        self.ids.push((Key::of(id), record.line));
        if self.ids.len() >= BATCH {
            // Registered now when every piece before this one has been: memory stays flat for
            // the piece being read in order; a piece ahead of its turn keeps its list.
            self.registry
                .register_early(self.kind, self.position, &mut self.ids);
        }
        if self.kind != Kind::EtabEducNat {
            return;
        }
        let Ok(mut s) = self.registry.structures.lock() else {
            return;
        };
        s.ids.insert(id);
        for attr in record.attrs() {
            for value in attr.non_empty() {
                match attr.name.as_str() {
                    "ENTStructureJointure" => s.alias(id, value),
                    "ENTStructureClasses" => {
                        s.add_code(id, value.split('$').next().unwrap_or(value), false);
                    }
                    "ENTStructureGroupes" => {
                        s.add_code(id, value.split('$').next().unwrap_or(value), true);
                    }
                    _ => {}
                }
            }
        }
    }

    fn decide_degree(&mut self, record: &Record) -> &'static Schema {
        if let Some(schema) = self.schema {
            return schema;
        }
        let degree = self.degree.unwrap_or_else(|| {
            let (mut first, mut second) = (0, 0);
            for attr in record.attrs() {
                match schema::degree_hint(self.kind, &attr.name) {
                    Some(Degree::First) => first += 1,
                    Some(Degree::Second) => second += 1,
                    None => {}
                }
            }
            if first > second {
                Degree::First
            } else {
                Degree::Second
            }
        });
        self.degree = Some(degree);
        let schema = schema::schema(self.kind, degree);
        self.schema = Some(schema);
        schema
    }

    fn check_category(&self, record: &Record, findings: &mut Findings) {
        let name = record.category.name.as_str();
        let value = record.category.values().first().map_or("", |v| v.trim());
        if (name, value) != self.kind.category() {
            let (want_name, want_value) = self.kind.category();
            let kind = Kind::from_category(name, value);
            let named = kind.map_or(String::new(), |k| format!(" (a {} record)", k.name()));
            let named_fr = kind.map_or(String::new(), |k| {
                format!(" (un enregistrement {})", k.name())
            });
            findings.push(Code::OperationalAttribute, Some(record.category.line.max(record.line)), record.id(), || {
                Text::new(
                    format!("catégorie {name}={value}{named_fr} dans un fichier {}, qui attend {want_name}={want_value}", self.kind.name()),
                    format!("category {name}={value}{named} in a {} file, which wants {want_name}={want_value}", self.kind.name()),
                )
            });
        }
    }

    fn check_attrs(&mut self, schema: &'static Schema, record: &Record, findings: &mut Findings) {
        self.seen = AttrSet::default();
        self.filled = AttrSet::default();
        let id = record.id();
        for (position, attr) in record.attrs().iter().enumerate() {
            let Some((index, spec)) = schema.find_at(&attr.name, position, &mut self.order) else {
                let other = match self.degree {
                    Some(Degree::First) => Degree::Second,
                    _ => Degree::First,
                };
                let (hint_fr, hint) = if schema::schema(self.kind, other).get(&attr.name).is_some()
                {
                    (
                        format!(" (il appartient aux fichiers {})", other.label()),
                        format!(" (it belongs to {} files)", other.label()),
                    )
                } else {
                    (String::new(), String::new())
                };
                let degree = self.degree.map_or("", Degree::label);
                findings.push(Code::UnknownAttribute, Some(attr.line), id, || {
                    Text::new(
                        format!("`{}` n'est pas un attribut des fichiers {} {degree}{hint_fr} ; les imports abandonnent le fichier", attr.name, self.kind.name()),
                        format!("`{}` is not an attribute of {degree} {} files{hint}; importers abort on it", attr.name, self.kind.name()),
                    )
                });
                continue;
            };
            if !self.seen.insert(index) {
                findings.push(Code::DuplicateAttribute, Some(attr.line), id, || {
                    Text::new(
                        format!("`{}` apparaît deux fois", spec.name),
                        format!("`{}` appears twice", spec.name),
                    )
                });
            }
            if spec.deprecated {
                findings.push(Code::DeprecatedAttribute, Some(attr.line), id, || {
                    Text::new(
                        format!("`{}` est obsolète : les imports l'ignorent", spec.name),
                        format!("`{}` is deprecated: importers ignore it", spec.name),
                    )
                });
            }
            let filled = attr.non_empty().count();
            if filled > 0 {
                self.filled.insert(index);
            }
            if filled > 1 && !spec.multi {
                findings.push(Code::MultipleValues, Some(attr.line), id, || {
                    Text::new(
                        format!(
                            "`{}` porte {filled} valeurs mais n'en prend qu'une",
                            spec.name
                        ),
                        format!("`{}` holds {filled} values but takes one", spec.name),
                    )
                });
            }
            for value in attr.non_empty() {
                if let Some(problem) = values::check(spec.format, value) {
                    findings.push(problem.code, Some(attr.line), id, || {
                        Text::new(
                            format!("`{}` : {}", spec.name, problem.message.fr),
                            format!("`{}`: {}", spec.name, problem.message.en),
                        )
                    });
                } else {
                    self.links(spec, value, attr.line, record, findings);
                }
            }
        }
        if record.op == Op::Add {
            for (index, spec) in schema.required() {
                if !self.filled.contains(index) {
                    findings.push(Code::MissingRequired, Some(record.line), id, || {
                        Text::new(
                            format!(
                                "`{}` est obligatoire dans les enregistrements {} et il est absent ou vide",
                                spec.name,
                                self.kind.name()
                            ),
                            format!(
                                "`{}` is required in {} records and is missing or empty",
                                spec.name,
                                self.kind.name()
                            ),
                        )
                    });
                }
            }
        }
    }

    fn links(
        &mut self,
        spec: &AttrSpec,
        value: &str,
        line: u64,
        record: &Record,
        findings: &mut Findings,
    ) {
        for link in spec.links {
            let field = |i: u8| {
                value
                    .split('$')
                    .nth(usize::from(i))
                    .filter(|f| !f.is_empty())
            };
            let Some(key) = field(link.field) else {
                continue;
            };
            let structure = if matches!(link.target, Target::Class | Target::Group) {
                field(link.structure)
            } else {
                None
            };
            let reference = Reference {
                target: link.target,
                attr: spec.name,
                structure,
                key,
                line,
                record: record.id(),
            };
            if phase(Known::kind_of(link.target)) < phase(self.kind) {
                resolve(self.known, &reference, &mut self.noted, findings);
            } else {
                self.pending.push(Pending::keep(&reference));
            }
        }
    }
}

impl Handler for FileChecker<'_> {
    fn start(&mut self, header: &Header, _: &mut Findings) {
        self.degree = header.degree;
    }

    fn record(&mut self, record: &Record, findings: &mut Findings) {
        let schema = self.decide_degree(record);
        self.check_category(record, findings);
        if record.id().is_none() {
            findings.push(Code::MissingId, Some(record.line), None, || {
                Text::new(
                    "l'identifier/id de l'enregistrement est vide",
                    "the record's identifier/id is empty",
                )
            });
        }
        self.register(record);
        if record.op != Op::Delete {
            self.check_attrs(schema, record, findings);
        }
    }
}
