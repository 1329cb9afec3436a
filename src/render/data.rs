//! Data exports: `/briefings.json` (every briefing as data), `/timeline.json` (TimelineJS's
//! format) and `/sitemap.xml` (with `sitemap-N.xml` parts on very large sites).
//!
//! The JSON files are written by serde rather than a template: their shape is a contract with
//! other programs, not a matter of presentation.

use std::io;

use chrono::Timelike;
use serde::Serialize;
use tera::{Context, Value};

use super::pages::{base_context, plan, KeyHasher, Kind, Memo, PageSpec};
use super::values::{actor_path, briefing_path, tag_path, theme_path, Values};
use crate::load::date::{PartialDate, Precision};
use crate::load::front_matter::Source;
use crate::model::Site;

/// Plans `/briefings.json` and `/timeline.json`.
pub(super) fn plan_exports(specs: &mut Vec<PageSpec>, site: &Site) {
    let all: Vec<usize> = (0..site.entries.len()).collect();
    for (path, kind) in [
        ("briefings.json", Kind::BriefingsJson),
        ("timeline.json", Kind::TimelineJson),
    ] {
        let key = KeyHasher::new(kind, 1).entries(site, &all).finish();
        specs.push(PageSpec {
            path: path.into(),
            kind,
            key,
        });
    }
}

/// Most URLs one sitemap file may list (the sitemaps.org protocol's limit).
pub const SITEMAP_URLS: usize = 50_000;

/// Plans `/sitemap.xml`; call last, since it lists every HTML page planned before it. Past
/// [`SITEMAP_URLS`] pages, `sitemap.xml` becomes an index of `sitemap-1.xml`, `sitemap-2.xml`…
pub(super) fn plan_sitemap(specs: &mut Vec<PageSpec>) {
    plan_sitemap_in(specs, SITEMAP_URLS);
}

fn plan_sitemap_in(specs: &mut Vec<PageSpec>, limit: usize) {
    let paths: Vec<&str> = sitemap_paths(specs).collect();
    let parts = paths.len().div_ceil(limit).max(1);
    let planned: Vec<PageSpec> = if parts == 1 {
        vec![sitemap_spec("sitemap.xml".into(), Kind::Sitemap(0), &paths)]
    } else {
        (paths.chunks(limit).enumerate())
            .map(|(k, chunk)| {
                sitemap_spec(
                    format!("sitemap-{}.xml", k + 1),
                    Kind::Sitemap(k + 1),
                    chunk,
                )
            })
            .chain(std::iter::once(sitemap_spec(
                "sitemap.xml".into(),
                Kind::SitemapIndex(parts),
                &[],
            )))
            .collect()
    };
    specs.extend(planned);
}

fn sitemap_spec(path: String, kind: Kind, paths: &[&str]) -> PageSpec {
    let key = (paths.iter())
        .fold(KeyHasher::new(kind, 1), |key, p| key.value(p))
        .finish();
    PageSpec { path, kind, key }
}

/// The pages a search engine should see: every `index.html` (so neither the 404 page nor the
/// e-mail pages, which duplicate the weekly digests).
fn sitemap_paths(specs: &[PageSpec]) -> impl Iterator<Item = &str> {
    specs
        .iter()
        .filter_map(|s| s.path.strip_suffix("index.html"))
}

/// The context of `sitemap.xml`: absolute URLs of every page, or of the pages in `part`
/// (1-based) when the site needs more than one sitemap file.
pub(super) fn sitemap(
    site: &Site,
    values: &Values,
    memo: &Memo,
    path: &str,
    part: usize,
) -> (&'static str, Context) {
    let all = memo.sitemap.get_or_init(|| {
        let specs = plan(site);
        sitemap_paths(&specs).map(str::to_owned).collect()
    });
    let urls: Vec<Value> = (part_of(all, part, SITEMAP_URLS).iter())
        .map(|p| Value::from(values.urls.absolute(p)))
        .collect();
    let mut ctx = base_context(values, path, "Sitemap");
    ctx.insert_value("urls", Value::from(urls));
    ("sitemap.xml", ctx)
}

/// The pages sitemap part `part` lists (0: all of them), as [`plan_sitemap_in`] split them.
fn part_of<T>(paths: &[T], part: usize, limit: usize) -> &[T] {
    match part {
        0 => paths,
        k => paths.chunks(limit).nth(k - 1).unwrap_or_default(),
    }
}

/// Writes the sitemap index that names the `parts` sitemap files.
pub(super) fn sitemap_index(
    values: &Values,
    parts: usize,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    out.write_all(b"<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")?;
    for k in 1..=parts {
        out.write_all(b"  <sitemap><loc>")?;
        tera::escape_html(&values.urls.absolute(&format!("sitemap-{k}.xml")), out)?;
        out.write_all(b"</loc></sitemap>\n")?;
    }
    out.write_all(b"</sitemapindex>\n")
}

/// Writes JSON with `<`, `>` and `&` escaped as `\u003c`…, so that the file stays inert even
/// when a browser sniffs it as HTML or a template inlines it in a `<script>`.
pub(super) fn write_json<T: Serialize>(out: &mut dyn io::Write, value: &T) -> io::Result<()> {
    struct HtmlSafe;
    impl serde_json::ser::Formatter for HtmlSafe {
        fn write_string_fragment<W: ?Sized + io::Write>(
            &mut self,
            w: &mut W,
            fragment: &str,
        ) -> io::Result<()> {
            let mut last = 0;
            for (i, b) in fragment.bytes().enumerate() {
                let escaped: &[u8] = match b {
                    b'<' => b"\\u003c",
                    b'>' => b"\\u003e",
                    b'&' => b"\\u0026",
                    _ => continue,
                };
                w.write_all(&fragment.as_bytes()[last..i])?;
                w.write_all(escaped)?;
                last = i + 1;
            }
            w.write_all(&fragment.as_bytes()[last..])
        }
    }
    // serde_json writes many small pieces; buffer them here, where the writer's type is known,
    // rather than through `dyn Write` one piece at a time.
    use io::Write as _;
    let mut buffered = io::BufWriter::with_capacity(64 * 1024, out);
    let mut ser = serde_json::Serializer::with_formatter(&mut buffered, HtmlSafe);
    value.serialize(&mut ser).map_err(io::Error::other)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// Serialises as a JSON array the items its function yields, one at a time, so that an export
/// of every briefing is never built whole in memory.
struct Streamed<F>(F);

impl<F, I> Serialize for Streamed<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

#[derive(Serialize)]
struct DateData {
    iso: String,
    precision: Precision,
    display: String,
}

fn date_data(d: &PartialDate) -> DateData {
    DateData {
        iso: d.iso(),
        precision: d.precision,
        display: d.display(),
    }
}

#[derive(Serialize)]
struct NamedData<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct BriefingData<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
    date: DateData,
    end_date: Option<DateData>,
    themes: Vec<NamedData<'a>>,
    actors: Vec<NamedData<'a>>,
    tags: Vec<NamedData<'a>>,
    summary: &'a str,
    sources: &'a [Source],
    location: Option<&'a str>,
    status: &'static str,
    confidence: Option<&'static str>,
    draft: bool,
    extra: &'a serde_json::Value,
    file: String,
}

#[derive(Serialize)]
struct BriefingsFile<'a, B> {
    title: &'a str,
    description: &'a str,
    url: &'a str,
    briefings: B,
}

/// `/briefings.json`: every published briefing, newest first, with absolute URLs.
pub(super) fn briefings_json(
    site: &Site,
    values: &Values,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let abs = |p: String| values.urls.absolute(&p);
    let named = |slug, name, path: fn(&str) -> String| NamedData {
        slug,
        name,
        url: abs(path(slug)),
    };
    let briefings = || {
        site.entries.iter().map(|e| {
            let b = &e.briefing;
            BriefingData {
                slug: &b.slug,
                url: abs(briefing_path(&b.slug)),
                title: &b.title,
                date: date_data(&b.date),
                end_date: b.end_date.as_ref().map(date_data),
                themes: e
                    .themes
                    .iter()
                    .map(|&t| named(&site.themes[t].slug, &site.themes[t].title, theme_path))
                    .collect(),
                actors: e
                    .actors
                    .iter()
                    .map(|&a| named(&site.actors[a].slug, &site.actors[a].name, actor_path))
                    .collect(),
                tags: e
                    .tags
                    .iter()
                    .map(|&t| named(&site.tags[t].slug, &site.tags[t].name, tag_path))
                    .collect(),
                summary: &b.summary,
                sources: &b.sources,
                location: b.location.as_deref(),
                status: b.status.name(),
                confidence: b.confidence.map(|c| c.name()),
                draft: b.draft,
                extra: &b.extra,
                file: b.path.to_string_lossy().replace('\\', "/"),
            }
        })
    };
    let c = &site.config;
    write_json(
        out,
        &BriefingsFile {
            title: &c.title,
            description: &c.description,
            url: &c.base_url,
            briefings: Streamed(briefings),
        },
    )
}

/// A TimelineJS date: only the parts the analyst wrote.
#[derive(Serialize)]
struct TlDate {
    year: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hour: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minute: Option<u32>,
}

fn tl_date(d: &PartialDate) -> TlDate {
    use chrono::Datelike;
    let p = d.precision;
    // A moment keeps the wall-clock time it was written in, as its display does.
    let time = d.time.filter(|_| p == Precision::Time);
    TlDate {
        year: d.start.year(),
        month: (p >= Precision::Month).then(|| d.start.month()),
        day: (p >= Precision::Day).then(|| d.start.day()),
        hour: time.map(|t| t.hour()),
        minute: time.map(|t| t.minute()),
    }
}

#[derive(Serialize)]
struct TlText {
    headline: String,
    text: String,
}

#[derive(Serialize)]
struct TlEvent<'a> {
    start_date: TlDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<TlDate>,
    display_date: String,
    text: TlText,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    unique_id: &'a str,
}

#[derive(Serialize)]
struct TlFile<E> {
    title: TlTitle,
    events: E,
}

#[derive(Serialize)]
struct TlTitle {
    text: TlText,
}

/// HTML-escapes text: TimelineJS inserts headlines, texts and group names as HTML.
fn html(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    tera::escape_html(text, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("escaping keeps UTF-8")
}

/// `/timeline.json`: the briefings as TimelineJS events, oldest first, primary themes as
/// groups. Text fields are HTML (as TimelineJS reads them), escaped from the plain text.
pub(super) fn timeline_json(
    site: &Site,
    values: &Values,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let events = || {
        site.entries.iter().rev().map(|e| {
            let b = &e.briefing;
            let display_date = match &b.end_date {
                Some(end) => format!("{} – {}", b.date.display(), end.display()),
                None => b.date.display(),
            };
            let link = html(&values.urls.absolute(&briefing_path(&b.slug)));
            TlEvent {
                start_date: tl_date(&b.date),
                end_date: b.end_date.as_ref().map(tl_date),
                display_date,
                text: TlText {
                    headline: html(&b.title),
                    text: format!(
                        "<p>{}</p><p><a href=\"{link}\">Read the briefing</a></p>",
                        html(&b.summary)
                    ),
                },
                group: e.themes.first().map(|&t| html(&site.themes[t].title)),
                unique_id: &b.slug,
            }
        })
    };
    let c = &site.config;
    let title = TlTitle {
        text: TlText {
            headline: html(&c.title),
            text: html(&c.description),
        },
    };
    write_json(
        out,
        &TlFile {
            title,
            events: Streamed(events),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(paths: &[&str]) -> Vec<PageSpec> {
        (paths.iter())
            .map(|p| PageSpec {
                path: p.to_string(),
                kind: Kind::NotFound,
                key: 0,
            })
            .collect()
    }

    fn sitemaps(specs: &[PageSpec]) -> Vec<(&str, Kind)> {
        (specs.iter())
            .filter(|s| matches!(s.kind, Kind::Sitemap(_) | Kind::SitemapIndex(_)))
            .map(|s| (s.path.as_str(), s.kind))
            .collect()
    }

    #[test]
    fn a_site_within_the_limit_has_one_sitemap() {
        let mut specs = pages(&["index.html", "a/index.html", "404.html"]);
        plan_sitemap_in(&mut specs, 2);
        assert_eq!(sitemaps(&specs), [("sitemap.xml", Kind::Sitemap(0))]);
        let mut empty = Vec::new();
        plan_sitemap_in(&mut empty, 2);
        assert_eq!(sitemaps(&empty), [("sitemap.xml", Kind::Sitemap(0))]);
    }

    #[test]
    fn past_the_limit_sitemap_xml_indexes_parts_each_keyed_by_its_own_pages() {
        let paths = [
            "index.html",
            "a/index.html",
            "b/index.html",
            "c/index.html",
            "d/index.html",
        ];
        let mut specs = pages(&paths);
        specs.push(PageSpec {
            path: "digests/2025-w01/email.html".into(),
            kind: Kind::NotFound,
            key: 0,
        });
        plan_sitemap_in(&mut specs, 2);
        assert_eq!(
            sitemaps(&specs),
            [
                ("sitemap-1.xml", Kind::Sitemap(1)),
                ("sitemap-2.xml", Kind::Sitemap(2)),
                ("sitemap-3.xml", Kind::Sitemap(3)),
                ("sitemap.xml", Kind::SitemapIndex(3)),
            ]
        );
        // Parts are cut in plan order: a page added at the end changes only the last part's
        // key (one added earlier shifts every later part, which is re-rendered, never stale).
        let mut more = pages(&paths);
        more.extend(pages(&["e/index.html"]));
        plan_sitemap_in(&mut more, 2);
        let key =
            |specs: &[PageSpec], path: &str| specs.iter().find(|s| s.path == path).map(|s| s.key);
        for path in ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"] {
            assert_eq!(key(&specs, path), key(&more, path), "{path}");
        }
        assert_ne!(key(&specs, "sitemap-3.xml"), key(&more, "sitemap-3.xml"));
        // The parts, rendered, list every page once and in order.
        let listed: Vec<&str> = (1..=3)
            .flat_map(|k| part_of(&paths, k, 2).to_vec())
            .collect();
        assert_eq!(listed, paths);
        assert_eq!(part_of(&paths, 0, 2), paths);
    }

    #[test]
    fn the_sitemap_index_names_each_part_by_absolute_url() {
        let mut values = Values::empty();
        values.urls.base_url = "https://example.org/a&b/".into();
        let mut out = Vec::new();
        sitemap_index(&values, 2, &mut out).unwrap();
        let xml = String::from_utf8(out).unwrap();
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
        let locs: Vec<&str> = (doc.descendants())
            .filter(|n| n.tag_name().name() == "loc")
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(
            locs,
            [
                "https://example.org/a&b/sitemap-1.xml",
                "https://example.org/a&b/sitemap-2.xml"
            ]
        );
    }
}
