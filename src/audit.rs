//! One audit, end to end, as the data flows: load the target, the grid and the declarations
//! (every problem reported at once) → plan → probe → judge → waive → score → assemble. Each
//! stage is a function of the ones before it; rendering comes after, in the CLI.
//! The live ENT and the embedded demo go through exactly this path.

pub mod demo;

use std::path::PathBuf;
use std::sync::Arc;

use crate::catalog::{self, ProbeCatalog};
use crate::data::Store;
use crate::declaration::Declarations;
use crate::error::Error;
use crate::evidence::Observation;
use crate::grid::{self, Grid};
use crate::input;
use crate::plan;
use crate::probe::deadline::Deadlines;
use crate::probe::http::{Http, HttpOptions, Limits, Reach};
use crate::probe::{self, Context};
use crate::report::Report;
use crate::target::{Secrets, Target};
use crate::text::Text;
use crate::waiver::{WaiverPolicy, Waivers};

/// What an audit needs.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// The target file.
    pub target: PathBuf,
    /// A declarations file (overrides the target's `declarations`).
    pub declarations: Option<PathBuf>,
    /// A grids folder instead of the embedded grids.
    pub grids: Option<PathBuf>,
    /// A probes folder instead of the embedded catalogue.
    pub probes: Option<PathBuf>,
    /// Client behaviour (the CA comes from the target).
    pub http: HttpOptions,
    /// How long one probe, and the whole audit, may take.
    pub deadlines: Deadlines,
    /// Where credentials come from.
    pub secrets: Secrets,
    /// A waivers file, and the policy it is checked under.
    pub waivers: Option<PathBuf>,
    /// Whether exigences may be waived.
    pub waiver_policy: WaiverPolicy,
    /// The language of the problems found in a declarations spreadsheet.
    pub lang: crate::text::Lang,
}

impl AuditOptions {
    /// An audit of `target` with the embedded grids and catalogue and the default client.
    pub fn new(target: PathBuf, secrets: Secrets) -> Self {
        Self {
            target,
            declarations: None,
            grids: None,
            probes: None,
            http: HttpOptions::default(),
            deadlines: Deadlines::default(),
            secrets,
            waivers: None,
            waiver_policy: WaiverPolicy::default(),
            lang: crate::text::Lang::Fr,
        }
    }
}

/// Called as each probe finishes (for progress display); the count of steps comes first.
pub trait Progress: Sync {
    /// The audit will run `steps` more probes (once per target when several are audited).
    fn start(&self, steps: usize);
    /// One probe finished.
    fn done(&self, observation: &Observation);
    /// All probes finished.
    fn finish(&self);
}

/// A progress sink that shows nothing.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: usize) {}
    fn done(&self, _: &Observation) {}
    fn finish(&self) {}
}

/// Loads the probe catalogue and the grid for `version` (the newest when `None`), failing with
/// every diagnostic found.
pub fn load_grid(
    grids: Option<&std::path::Path>,
    probes: Option<&std::path::Path>,
    version: Option<&str>,
) -> Result<(Grid, ProbeCatalog), Error> {
    crate::data::check_folders(&[grids, probes])?;
    let (catalog, mut diagnostics) = catalog::load(&Store::probes(probes));
    let store = Store::grids(grids);
    let available = grid::available_versions(&store);
    let version = match version {
        Some(v) if available.iter().any(|a| a == v) => v.to_string(),
        Some(v) => {
            return Err(Error::NoGrid {
                version: v.to_string(),
                available,
            });
        }
        None => grid::newest_version(&store).ok_or(Error::NoGrid {
            version: "(any)".into(),
            available: Vec::new(),
        })?,
    };
    let loaded = grid::load(&store, &version, &catalog);
    diagnostics.extend(loaded.diagnostics);
    match loaded.grid {
        Some(grid) if diagnostics.is_empty() => Ok((grid, catalog)),
        _ => Err(Error::Diagnostics {
            context: sdet_core::fr_en!(
                "la grille SDET {version} ou le catalogue des sondes est invalide",
                "the SDET {version} grid or the probe catalogue is invalid"
            ),
            diagnostics,
        }),
    }
}

/// Runs one audit.
pub async fn run(options: &AuditOptions, progress: &dyn Progress) -> Result<Report, Error> {
    let prepared = prepare(options).await?;
    Ok(run_one(&prepared, progress).await)
}

/// Runs a prepared audit and finishes `progress`.
pub async fn run_one(prepared: &Prepared, progress: &dyn Progress) -> Report {
    let report = prepared.run(progress).await;
    progress.finish();
    report
}

/// Loads one audit, with limits of its own, ready to probe.
pub async fn prepare(options: &AuditOptions) -> Result<Prepared, Error> {
    Prepared::new(options, Limits::new(&options.http)).await
}

/// Audits several targets at once, under one set of limits (see [`prepare_many`] and
/// [`run_prepared`]).
pub async fn run_many(
    options: &[AuditOptions],
    progress: &dyn Progress,
) -> Result<Vec<Report>, Error> {
    let prepared = prepare_many(options).await?;
    Ok(run_prepared(prepared, progress).await)
}

/// Loads several audits under one set of limits (the first options' `--concurrency` and
/// `--per-host`; the CLI gives them all the same): run together, they take about as long as the
/// slowest target, and a host the targets share is no busier than for one audit. Each target
/// keeps everything else of its own — client, CA, reach, shared reads, deadlines, report. Every
/// target is loaded before any is probed, so a bad file costs no audit.
pub async fn prepare_many(options: &[AuditOptions]) -> Result<Vec<Prepared>, Error> {
    let Some(first) = options.first() else {
        return Ok(Vec::new());
    };
    let limits = Limits::new(&first.http);
    let mut prepared = Vec::with_capacity(options.len());
    for o in options {
        let audit = Prepared::new(o, Arc::clone(&limits))
            .await
            .map_err(|e| match e {
                // Say which of the targets the problems are about.
                Error::Diagnostics {
                    context,
                    diagnostics,
                } => Error::Diagnostics {
                    context: context.about(o.target.display()),
                    diagnostics,
                },
                other => other,
            })?;
        prepared.push(audit);
    }
    Ok(prepared)
}

/// Runs prepared audits at once and finishes `progress`; the reports come in the order of
/// `prepared`. Each audit is a task of its own, so the runtime's threads share the targets'
/// work (parsing answers, checking signatures, concluding): polled together in one task, five
/// targets had their CPU time added up on one thread. What they report goes through a channel
/// to this task, which alone speaks to `progress`.
pub async fn run_prepared(prepared: Vec<Prepared>, progress: &dyn Progress) -> Vec<Report> {
    let (events, mut received) = tokio::sync::mpsc::unbounded_channel();
    let mut tasks = Tasks(
        prepared
            .into_iter()
            .map(|p| {
                let events = events.clone();
                tokio::spawn(async move { p.run(&Forward(events)).await })
            })
            .collect(),
    );
    // The tasks hold the only senders left: the channel ends when the last audit does.
    drop(events);
    while let Some(event) = received.recv().await {
        match event {
            Event::Start(steps) => progress.start(steps),
            Event::Done(observation) => progress.done(&observation),
        }
    }
    let mut reports = Vec::with_capacity(tasks.0.len());
    for task in &mut tasks.0 {
        match task.await {
            Ok(report) => reports.push(report),
            // A panic in an audit is a bug: it goes on as a panic here, not as a lost report.
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    progress.finish();
    reports
}

/// What an audit running in a task of its own reports (see [`run_prepared`]).
enum Event {
    Start(usize),
    Done(Box<Observation>),
}

/// A progress sink that forwards to the task that owns the real one; it never finishes it:
/// [`run_prepared`] does, once every audit is over.
struct Forward(tokio::sync::mpsc::UnboundedSender<Event>);

impl Progress for Forward {
    fn start(&self, steps: usize) {
        // A closed channel means nobody listens any more: nothing to tell.
        let _ = self.0.send(Event::Start(steps));
    }
    fn done(&self, observation: &Observation) {
        let _ = self.0.send(Event::Done(Box::new(observation.clone())));
    }
    fn finish(&self) {}
}

/// The audits' tasks; dropped before they end (the run was given up), they stop too.
struct Tasks(Vec<tokio::task::JoinHandle<Report>>);

impl Drop for Tasks {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// An audit with everything loaded, ready to probe: what can be wrong in the files has been
/// found.
pub struct Prepared {
    options: AuditOptions,
    target: Target,
    grid: Grid,
    catalog: ProbeCatalog,
    declarations: Declarations,
    waivers: Waivers,
    http: Http,
}

impl Prepared {
    /// Loads the target, the grid, the declarations and the waivers, and builds the target's
    /// client under `limits`.
    async fn new(options: &AuditOptions, limits: Arc<Limits>) -> Result<Self, Error> {
        let target = Target::load(&options.target).map_err(|diagnostics| Error::Diagnostics {
            context: Text::new(
                "le fichier cible est invalide",
                "the target file is invalid",
            ),
            diagnostics,
        })?;
        let (grid, catalog) = load_grid(
            options.grids.as_deref(),
            options.probes.as_deref(),
            target.sdet_version.as_deref(),
        )?;
        let declarations = match options
            .declarations
            .as_ref()
            .or(target.declarations.as_ref())
        {
            Some(path) => Declarations::load(path, &grid, options.lang).map_err(|diagnostics| {
                Error::Diagnostics {
                    context: Text::new(
                        "le fichier de déclarations est invalide",
                        "the declarations file is invalid",
                    ),
                    diagnostics,
                }
            })?,
            None => Declarations::default(),
        };
        let waivers = match &options.waivers {
            Some(path) => {
                Waivers::load(path, &grid, options.waiver_policy).map_err(|diagnostics| {
                    Error::Diagnostics {
                        context: Text::new(
                            "le fichier de dérogations est invalide",
                            "the waivers file is invalid",
                        ),
                        diagnostics,
                    }
                })?
            }
            None => Waivers::default(),
        };
        let mut http_options = options.http.clone();
        if let Some(ca) = &target.tls.ca_file {
            http_options.extra_ca_pem = Some(input::read(ca, input::MAX_CONFIG_BYTES)?);
        }
        http_options.reach = Reach::around(&target.reach_urls()).await;
        let http = Http::within(http_options, limits)?;
        Ok(Prepared {
            options: options.clone(),
            target,
            grid,
            catalog,
            declarations,
            waivers,
            http,
        })
    }

    /// The target, loaded.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The target's client, the one its probes use: a request sent through it before they run
    /// (the CLI's preflight read of the portal) is an answer they may share.
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// Plans, probes and concludes; the caller finishes `progress`.
    async fn run(&self, progress: &dyn Progress) -> Report {
        let plan = plan::build(&self.grid, &self.catalog, &self.target);
        progress.start(plan.steps.len());
        let ctx = Context::new(&self.target, &self.options.secrets);
        let observations = probe::run_all(&plan, &ctx, &self.http, self.options.deadlines, &|o| {
            progress.done(o)
        })
        .await;
        crate::conclude::conclude(
            &self.grid,
            &self.target,
            &self.declarations,
            &self.waivers,
            &plan,
            observations,
            time::OffsetDateTime::now_utc(),
        )
    }
}

/// A short line for a finished probe, for progress output (`-v`), in `lang`:
/// `échec  portail.hsts : …`.
pub fn progress_line(o: &Observation, lang: crate::text::Lang) -> String {
    use crate::evidence::Outcome;
    use crate::text::pick;
    let outcome = match o.outcome {
        Outcome::Pass => pick(lang, "réussite", "pass"),
        Outcome::Fail => pick(lang, "échec", "fail"),
        Outcome::Error => pick(lang, "erreur", "error"),
        Outcome::Skipped => pick(lang, "ignorée", "skipped"),
    };
    let colon = pick(lang, " :", ":");
    format!("{outcome:<8} {}{colon} {}", o.probe, o.message.get(lang))
}
