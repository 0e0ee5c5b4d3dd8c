//! The dashboards' tables as CSV, with the same suppression as on screen: a suppressed
//! figure is written `<5` or `x`, never its value.

use harbour_types::{CountTable, CoverageMap, ResponseTimes, StaleListings, Timing};

use crate::http::csv_line;

/// One line per row, then the totals.
pub fn count_table(table: &CountTable) -> String {
    let mut header = vec!["key".to_owned(), "label".to_owned()];
    header.extend(table.columns.iter().map(|c| c.key.clone()));
    let mut out = csv_line(&header);
    for row in &table.rows {
        let mut line = vec![row.heading.key.clone(), row.heading.label.clone()];
        line.extend(row.figures.iter().map(|f| f.text()));
        out.push_str(&csv_line(&line));
    }
    let mut totals = vec!["total".to_owned(), "total".to_owned()];
    totals.extend(table.totals.iter().map(|f| f.text()));
    out.push_str(&csv_line(&totals));
    out
}

/// One line per group, then all groups; for each span its count, median and 90th percentile in hours.
pub fn response_times(times: &ResponseTimes) -> String {
    let mut header = vec!["key".to_owned(), "label".to_owned()];
    for span in &times.spans {
        header.extend([format!("{}_count", span.code()), format!("{}_median_hours", span.code()), format!("{}_p90_hours", span.code())]);
    }
    let line = |key: &str, label: &str, timings: &[Timing]| {
        let mut fields = vec![key.to_owned(), label.to_owned()];
        for t in timings {
            let hours = |h: Option<f64>| h.map(|h| format!("{h:.1}")).unwrap_or_default();
            fields.extend([t.count.text(), hours(t.median_hours), hours(t.p90_hours)]);
        }
        csv_line(&fields)
    };
    let mut out = csv_line(&header);
    for row in &times.rows {
        out.push_str(&line(&row.heading.key, &row.heading.label, &row.timings));
    }
    out.push_str(&line("total", "total", &times.overall));
    out
}

/// One line per category and region.
pub fn coverage(map: &CoverageMap) -> String {
    let mut out = csv_line(&["category_id", "category", "region_id", "region", "services", "accepting_referrals", "gap"]);
    for row in &map.rows {
        for (region, cell) in map.regions.iter().zip(&row.cells) {
            out.push_str(&csv_line(&[
                row.category.key.clone(),
                row.category.label.clone(),
                region.key.clone(),
                region.label.clone(),
                cell.services.to_string(),
                cell.accepting.to_string(),
                cell.gap.to_string(),
            ]));
        }
    }
    out
}

/// One line per organization.
pub fn stale(listings: &StaleListings) -> String {
    let mut out = csv_line(&["organization_id", "organization", "listings", "stale", "oldest_verified_on"]);
    for row in &listings.rows {
        out.push_str(&csv_line(&[
            row.organization.key.clone(),
            row.organization.label.clone(),
            row.listings.to_string(),
            row.stale.to_string(),
            row.oldest_verified_on.map(|d| d.to_string()).unwrap_or_default(),
        ]));
    }
    out
}
