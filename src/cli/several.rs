//! Commands that read several saved reports: `compare`, `diff` and `merge`.

use std::path::Path;

use super::output::{emit, format_of, gate_report, rules};
use super::reports::load;
use super::{CompareArgs, CompareFormat, DiffArgs, DiffFormat, MergeArgs, MergeFormat};
use crate::error::Error;
use crate::report::Report;
use crate::text::Lang;
use crate::{compare, diff, merge};

fn load_all(paths: &[std::path::PathBuf]) -> Result<Vec<Report>, Error> {
    let mut reports = Vec::new();
    for path in paths {
        reports.extend(load(path)?);
    }
    Ok(reports)
}

/// `compare REPORT…`.
pub fn compare(args: &CompareArgs) -> Result<u8, Error> {
    let reports = load_all(&args.reports)?;
    let mut comparison = compare::build(&reports)?;
    label(&mut comparison, &args.label)?;
    let (format, _) = format_of(&args.output)?;
    let text = render_comparison(&comparison, format, args.output.lang.into())?;
    emit(&args.output, &text)?;
    Ok(crate::exit::CONFORME)
}

/// Applies `--label N=LABEL` to the columns, naming every bad label at once.
fn label(comparison: &mut compare::Comparison, labels: &[String]) -> Result<(), Error> {
    let count = comparison.bids.len();
    let mut problems = Vec::new();
    for given in labels {
        let parsed = given
            .split_once('=')
            .and_then(|(n, l)| Some((n.trim().parse::<usize>().ok()?, l.trim())))
            .filter(|(n, l)| (1..=count).contains(n) && !l.is_empty());
        match parsed {
            Some((n, l)) => comparison.bids[n - 1].name = l.to_string(),
            None => problems.push(format!("`{given}`")),
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(sdet_core::fr_en!(
        "--label attend N=LIBELLÉ avec N de 1 à {count} : {}",
        "--label takes N=LABEL with N from 1 to {count}: {}",
        problems.join(", ")
    )))
}

fn render_comparison(
    c: &compare::Comparison,
    format: CompareFormat,
    lang: Lang,
) -> Result<String, Error> {
    Ok(match format {
        CompareFormat::Terminal => compare::terminal(c, lang),
        CompareFormat::Csv => compare::csv(c, lang),
        CompareFormat::Html => compare::html::render(c, lang)?,
        CompareFormat::Json => crate::report::json::versioned(c),
    })
}

/// `diff OLD NEW`.
pub fn diff(args: &DiffArgs) -> Result<u8, Error> {
    let one = |path: &Path| -> Result<Report, Error> {
        let mut reports = load(path)?;
        match reports.len() {
            1 => Ok(reports.remove(0)),
            n => Err(Error::Usage(sdet_core::fr_en!(
                "{} contient {n} rapports ; `diff` compare deux rapports seuls",
                "{} holds {n} reports; `diff` compares two single reports",
                path.display()
            ))),
        }
    };
    let d = diff::build(&one(&args.old)?, &one(&args.new)?);
    let (format, _) = format_of(&args.output)?;
    let text = match format {
        DiffFormat::Terminal | DiffFormat::Markdown => diff::render(&d, args.output.lang.into()),
        DiffFormat::Json => crate::report::json::versioned(&d),
    };
    emit(&args.output, &text)?;
    Ok(d.exit_code())
}

/// `merge REPORT…`.
pub fn merge(args: &MergeArgs) -> Result<u8, Error> {
    let rules = rules(&args.gate)?;
    let merged = merge::merge(load_all(&args.reports)?)?;
    let (format, _) = format_of(&args.output)?;
    let lang = args.output.lang.into();
    let text = render_merged(&merged, format, lang)?;
    emit(&args.output, &text)?;
    Ok(gate_report(&merged.reports, rules.as_deref(), lang))
}

/// The merged file (JSON), or the comparison of the reports in it.
pub fn render_merged(
    merged: &merge::Merged,
    format: MergeFormat,
    lang: Lang,
) -> Result<String, Error> {
    let comparison =
        |format: CompareFormat| render_comparison(&compare::build(&merged.reports)?, format, lang);
    Ok(match format {
        MergeFormat::Json => merge::render(merged),
        MergeFormat::Terminal => comparison(CompareFormat::Terminal)?,
        MergeFormat::Html => comparison(CompareFormat::Html)?,
        MergeFormat::Csv => comparison(CompareFormat::Csv)?,
    })
}
