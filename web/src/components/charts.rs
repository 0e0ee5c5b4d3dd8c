//! Charts drawn as SVG. Each is an image whose text alternative states its figures in
//! words, and the screens offer the same figures as a table: a chart is never the only
//! way to read them. Suppressed figures are written as they are ("<5", "x"), never drawn
//! as a length.

use harbour_types::Figure;
use leptos::prelude::*;

/// Width of every chart's drawing, in SVG units; it scales to its container.
const WIDTH: f64 = 320.0;

/// A figure's share of `max`, for a length; nothing for a suppressed one.
fn share(figure: Figure, max: u64) -> f64 {
    figure.count().map_or(0.0, |n| n as f64 / max.max(1) as f64)
}

/// "label: figure; …", the words of a chart.
pub fn in_words(items: &[(String, Figure)]) -> String {
    items.iter().map(|(label, f)| format!("{label}: {}", f.text())).collect::<Vec<_>>().join("; ")
}

/// Horizontal bars, one per row, each labelled above its bar (long names fit on a phone).
#[component]
pub fn BarChart(title: String, bars: Vec<(String, Figure)>) -> impl IntoView {
    const ROW: f64 = 40.0;
    let max = bars.iter().filter_map(|(_, f)| f.count()).max().unwrap_or(0);
    let height = ROW * bars.len() as f64 + 4.0;
    let label = format!("{title}. {}", in_words(&bars));
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=label>
            {bars.into_iter().enumerate().map(|(i, (name, figure))| {
                let y = ROW * i as f64;
                let length = (WIDTH - 40.0) * share(figure, max);
                view! {
                    <text x="0" y=y + 14.0 class="chart-label">{name}</text>
                    <rect x="0" y=y + 19.0 width=length.max(1.0) height="14" class="chart-bar"/>
                    <text x=length + 4.0 y=y + 31.0 class="chart-value">{figure.text()}</text>
                }
            }).collect_view()}
        </svg>
    }
}

/// Lines over periods (months), one per series, each with its own dash so colour is not the only
/// difference. A suppressed week breaks its line.
#[component]
pub fn LineChart(title: String, weeks: Vec<String>, series: Vec<(String, Vec<Figure>)>) -> impl IntoView {
    const HEIGHT: f64 = 160.0;
    const LEFT: f64 = 30.0;
    let max = series.iter().flat_map(|(_, v)| v.iter().filter_map(|f| f.count())).max().unwrap_or(0).max(1);
    let step = if weeks.len() > 1 { (WIDTH - LEFT - 8.0) / (weeks.len() - 1) as f64 } else { 0.0 };
    let point = |i: usize, f: Figure| (LEFT + step * i as f64, HEIGHT - 20.0 - (HEIGHT - 30.0) * share(f, max));
    let words = series.iter().map(|(name, values)| format!("{name}: {}", values.iter().zip(&weeks).map(|(f, w)| format!("{w} {}", f.text())).collect::<Vec<_>>().join(", "))).collect::<Vec<_>>().join(". ");
    let (first, last) = (weeks.first().cloned().unwrap_or_default(), weeks.last().cloned().unwrap_or_default());
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=format!("{title}. {words}")>
            <line x1=LEFT y1="10" x2=LEFT y2=HEIGHT - 20.0 class="chart-axis"/>
            <line x1=LEFT y1=HEIGHT - 20.0 x2=WIDTH y2=HEIGHT - 20.0 class="chart-axis"/>
            <text x="0" y="14" class="chart-value">{max}</text>
            <text x="0" y=HEIGHT - 20.0 class="chart-value">"0"</text>
            <text x=LEFT y=HEIGHT - 4.0 class="chart-value">{first}</text>
            <text x=WIDTH y=HEIGHT - 4.0 class="chart-value" text-anchor="end">{last}</text>
            {series.into_iter().enumerate().map(|(s, (_, values))| {
                let mut path = String::new();
                let mut pen_down = false;
                for (i, f) in values.iter().enumerate() {
                    if f.count().is_none() {
                        pen_down = false;
                        continue;
                    }
                    let (x, y) = point(i, *f);
                    path.push_str(&format!("{}{x:.1},{y:.1} ", if pen_down { "L" } else { "M" }));
                    pen_down = true;
                }
                view! { <path d=path class=format!("chart-line chart-series-{s}")/> }
            }).collect_view()}
        </svg>
    }
}

/// A grid of counts (rows × columns) shaded by size; `on_pick(row, column)` when a cell
/// is chosen. The same cells are buttons in the table beside it, for keyboards and
/// screen readers.
#[component]
pub fn HeatMap(title: String, gaps_label: String, rows: Vec<String>, columns: Vec<String>, cells: Vec<Vec<u64>>, #[prop(into)] on_pick: Callback<(usize, usize)>) -> impl IntoView {
    const LABELS: f64 = 120.0;
    const CELL: f64 = 28.0;
    const HEADER: f64 = 100.0;
    // Room on the right for the last column's slanted name.
    let width = LABELS + CELL * columns.len() as f64 + 64.0;
    let short = |name: &str| if name.chars().count() > 18 { format!("{}…", name.chars().take(17).collect::<String>()) } else { name.to_owned() };
    let height = HEADER + CELL * rows.len() as f64;
    let max = cells.iter().flatten().copied().max().unwrap_or(0).max(1);
    let gaps: Vec<String> = cells
        .iter()
        .enumerate()
        .flat_map(|(r, row)| row.iter().enumerate().filter(|(_, n)| **n == 0).map(move |(c, _)| (r, c)))
        .map(|(r, c)| format!("{} / {}", rows[r], columns[c]))
        .collect();
    let label = format!("{title}. {gaps_label}: {}. {}", gaps.len(), gaps.join("; "));
    view! {
        <svg class="chart heatmap" viewBox=format!("0 0 {width} {height}") role="img" aria-label=label>
            {columns.iter().enumerate().map(|(c, name)| {
                let x = LABELS + CELL * c as f64 + CELL / 2.0;
                view! { <text class="chart-label" transform=format!("translate({x},{}) rotate(-55)", HEADER - 4.0)>{short(name)}</text> }
            }).collect_view()}
            {rows.iter().enumerate().map(|(r, name)| {
                let y = HEADER + CELL * r as f64;
                view! { <text x="0" y=y + CELL / 2.0 + 4.0 class="chart-label">{short(name)}</text> }
            }).collect_view()}
            {cells.into_iter().enumerate().flat_map(|(r, row)| row.into_iter().enumerate().map(move |(c, n)| (r, c, n))).map(|(r, c, n)| {
                let level = if n == 0 { 0 } else { 1 + (4 * n / max).min(3) };
                let (x, y) = (LABELS + CELL * c as f64, HEADER + CELL * r as f64);
                view! {
                    <g class=format!("heat heat-{level}") on:click=move |_| on_pick.run((r, c))>
                        <rect x=x + 1.0 y=y + 1.0 width=CELL - 2.0 height=CELL - 2.0/>
                        <text x=x + CELL / 2.0 y=y + CELL / 2.0 + 4.0 text-anchor="middle">{n}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}
