//! Deterministic benchmark corpus: N briefings written both as a brief site and as Hugo content.
//!
//! ```text
//! cargo run --release --example corpus -- --count 10000 --out /tmp/corpus-10k [--seed 42]
//! ```
//!
//! Writes `OUT/brief/` (`site.yaml` + `content/YYYY/*.md`) and `OUT/hugo/content/` (the same
//! briefings for the Hugo site in `bench/hugo/`). Same count and seed, same bytes. `OUT` must not
//! exist, or must be a folder this program wrote before (it holds `.brief-corpus`).
//!
//! The corpus: 40 themes and 500 actors (countries, organisations, people; some with aliases)
//! with Zipf-like popularity; each briefing has 1–5 actors, 3 tags, one theme (sometimes two),
//! a date over ten years (mostly day precision, some month or year), and a ~250-word body with
//! headings, a list, links, emphasis and sometimes a table.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use brief::load::slug::slugify;
use chrono::{Datelike, Duration, NaiveDate};

const MARKER: &str = ".brief-corpus";

/// splitmix64: tiny, fast and good enough for synthetic text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }
    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// Zipf-like sampler over `n` items: item of rank r has weight 1/(r+1)^s; ranks are shuffled
/// so popularity does not follow list order.
struct Zipf {
    cumulative: Vec<f64>,
    item_of_rank: Vec<usize>,
}

impl Zipf {
    fn new(n: usize, s: f64, rng: &mut Rng) -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|r| {
                total += 1.0 / ((r + 1) as f64).powf(s);
                total
            })
            .collect();
        let mut item_of_rank: Vec<usize> = (0..n).collect();
        rng.shuffle(&mut item_of_rank);
        Zipf {
            cumulative,
            item_of_rank,
        }
    }
    fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.unit() * self.cumulative.last().copied().unwrap_or(0.0);
        let r = self
            .cumulative
            .partition_point(|&c| c <= u)
            .min(self.cumulative.len() - 1);
        self.item_of_rank[r]
    }
    /// `k` distinct items.
    fn distinct(&self, k: usize, rng: &mut Rng) -> Vec<usize> {
        let mut out = Vec::with_capacity(k);
        while out.len() < k.min(self.cumulative.len()) {
            let x = self.sample(rng);
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    }
}

#[rustfmt::skip]
const THEMES: [&str; 40] = [
    "Arctic shipping routes", "Rare earths supply", "Grain export corridor", "Gas pipeline politics",
    "Semiconductor export controls", "Sovereign debt talks", "Nuclear energy cooperation", "Lithium triangle",
    "Red Sea shipping security", "Central Asian rail links", "Fisheries disputes", "Carbon border tariffs",
    "Development bank lending", "Sanctions enforcement", "Oil production quotas",
    "Critical minerals partnerships", "Port investment deals", "Currency swap lines", "Free trade negotiations",
    "Undersea cable security", "Food price inflation", "Fertiliser trade", "Water sharing treaties",
    "Space launch cooperation", "Defence industrial deals", "Pharmaceutical supply chains",
    "Green hydrogen projects", "Cobalt mining governance", "Digital payments systems", "Steel overcapacity",
    "Airline route rights", "Sovereign wealth fund investments", "Electricity interconnectors",
    "Agricultural subsidies", "Migration and remittances", "Uranium enrichment market", "Canal transit fees",
    "Tariff retaliation", "Battery manufacturing", "Cross border data rules",
];

#[rustfmt::skip]
const COUNTRIES: [(&str, &str); 60] = [
    ("Norway", "Oslo"), ("Japan", "Tokyo"), ("Brazil", "Brasilia"), ("Kazakhstan", "Astana"),
    ("Chile", "Santiago"), ("Indonesia", "Jakarta"), ("Nigeria", "Abuja"), ("Egypt", "Cairo"),
    ("Turkey", "Ankara"), ("India", "New Delhi"), ("Germany", "Berlin"), ("France", "Paris"),
    ("Canada", "Ottawa"), ("Australia", "Canberra"), ("Mexico", "Mexico City"), ("Argentina", "Buenos Aires"),
    ("Peru", "Lima"), ("Bolivia", "La Paz"), ("South Africa", "Pretoria"), ("Kenya", "Nairobi"),
    ("Ethiopia", "Addis Ababa"), ("Morocco", "Rabat"), ("Algeria", "Algiers"), ("Qatar", "Doha"),
    ("Oman", "Muscat"), ("Iraq", "Baghdad"), ("Iran", "Tehran"), ("Pakistan", "Islamabad"),
    ("Bangladesh", "Dhaka"), ("Vietnam", "Hanoi"), ("Thailand", "Bangkok"), ("Malaysia", "Kuala Lumpur"),
    ("Philippines", "Manila"), ("South Korea", "Seoul"), ("Mongolia", "Ulaanbaatar"),
    ("Uzbekistan", "Tashkent"), ("Azerbaijan", "Baku"), ("Georgia", "Tbilisi"), ("Armenia", "Yerevan"),
    ("Poland", "Warsaw"), ("Romania", "Bucharest"), ("Hungary", "Budapest"), ("Serbia", "Belgrade"),
    ("Greece", "Athens"), ("Italy", "Rome"), ("Spain", "Madrid"), ("Portugal", "Lisbon"),
    ("Netherlands", "The Hague"), ("Belgium", "Brussels"), ("Sweden", "Stockholm"), ("Finland", "Helsinki"),
    ("Denmark", "Copenhagen"), ("Iceland", "Reykjavik"), ("Ireland", "Dublin"), ("Colombia", "Bogota"),
    ("Ecuador", "Quito"), ("Panama", "Panama City"), ("Ghana", "Accra"), ("Angola", "Luanda"),
    ("Zambia", "Lusaka"),
];

#[rustfmt::skip]
const ORG_KINDS: [&str; 14] = [
    "Ministry of Finance", "Ministry of Energy", "Central Bank", "Development Bank", "Export Credit Agency",
    "Sovereign Fund", "Mining Corporation", "Shipping Authority", "Trade Ministry", "Competition Authority",
    "National Oil Company", "Grid Operator", "Port Authority", "Investment Agency",
];

#[rustfmt::skip]
const FIRST: [&str; 48] = [
    "Amara", "Bruno", "Chen", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Ines", "Jonas",
    "Kemal", "Lucia", "Mateo", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sergei", "Tariq",
    "Ursula", "Viktor", "Wen", "Ximena", "Yusuf", "Zofia", "Anders", "Beatriz", "Carlos", "Daria",
    "Emeka", "Fatima", "Gustavo", "Hana", "Ivan", "Julia", "Kwame", "Leila", "Marek", "Nia",
    "Oskar", "Paula", "Rahul", "Sofia", "Tomas", "Valeria", "Wiktor", "Yara",
];

#[rustfmt::skip]
const LAST: [&str; 60] = [
    "Abara", "Berg", "Castillo", "Dahl", "Eriksen", "Fontaine", "Garcia", "Haddad", "Ivanova", "Jensen",
    "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quispe", "Rahman", "Santos", "Tanaka",
    "Umarov", "Varga", "Weber", "Xu", "Yilmaz", "Zhou", "Almeida", "Bianchi", "Chowdhury", "Demir", "Esposito",
    "Ferreira", "Gomez", "Horvat", "Iqbal", "Jovanovic", "Kim", "Lopez", "Mensah", "Novak", "Olsen", "Popescu",
    "Ruiz", "Suzuki", "Torres", "Usman", "Volkov", "Wojcik", "Yamamoto", "Zapata", "Aydin", "Brandt", "Costa",
    "Duarte", "Farah", "Greco", "Hassan", "Ito", "Kovacs", "Lund",
];

#[rustfmt::skip]
const ROLES: [&str; 10] = [
    "finance minister", "energy minister", "central bank governor", "trade envoy", "chief executive",
    "deputy prime minister", "special envoy", "investment fund head", "chief negotiator", "economy minister",
];

#[rustfmt::skip]
const VERBS: [&str; 24] = [
    "signs", "rejects", "proposes", "delays", "expands", "suspends", "announces", "reviews", "backs",
    "questions", "finalises", "renegotiates", "launches", "pauses", "extends", "tightens", "eases", "funds",
    "blocks", "approves", "courts", "tests", "drafts", "revives",
];

#[rustfmt::skip]
const OBJECTS: [&str; 24] = [
    "supply accord", "investment framework", "export licence regime", "pricing formula", "joint venture",
    "loan package", "tariff schedule", "transit agreement", "offtake contract", "memorandum of understanding",
    "quota increase", "inspection regime", "port concession", "refinery project", "pipeline extension",
    "rail corridor plan", "swap line", "exploration permits", "storage deal", "processing plant",
    "credit guarantee", "shipping insurance scheme", "data sharing pact", "debt restructuring",
];

#[rustfmt::skip]
const QUALIFIERS: [&str; 12] = [
    "after talks", "amid price slump", "under pressure", "with conditions", "for second time",
    "ahead of summit", "despite objections", "in surprise move", "after audit", "before deadline",
    "at regional forum", "with partners",
];

#[rustfmt::skip]
const TAG_WORDS: [&str; 60] = [
    "sanctions", "energy", "shipping", "mining", "finance", "trade", "tariffs", "investment", "diplomacy",
    "debt", "infrastructure", "logistics", "agriculture", "technology", "security", "climate", "currency",
    "insurance", "ports", "rail", "pipelines", "refining", "batteries", "grid", "nuclear", "hydrogen",
    "fisheries", "water", "labour", "taxation", "subsidies", "procurement", "arbitration", "licensing",
    "exports", "imports", "inflation", "bonds", "banking", "aviation", "telecoms", "cables", "satellites",
    "semiconductors", "steel", "aluminium", "copper", "nickel", "cobalt", "lithium", "uranium", "gas", "oil",
    "coal", "wheat", "rice", "fertiliser", "pharmaceuticals", "data", "payments",
];

const TAG_MODIFIERS: [&str; 5] = ["", "regional", "global", "bilateral", "domestic"];

#[rustfmt::skip]
const WORDS: [&str; 120] = [
    "the", "talks", "officials", "said", "agreement", "would", "market", "prices", "supply", "government",
    "plans", "new", "deal", "within", "months", "according", "sources", "ministry", "expected", "further",
    "review", "analysts", "noted", "that", "risk", "remains", "high", "exports", "volumes", "increase",
    "capacity", "project", "financing", "terms", "partners", "regional", "pressure", "delegation", "meeting",
    "statement", "framework", "investment", "production", "quota", "shipments", "contract", "negotiations",
    "round", "previous", "earlier", "signals", "shift", "policy", "tariff", "sanctions", "compliance", "banks",
    "insurers", "freight", "corridor", "port", "terminal", "refinery", "pipeline", "reserves", "licences",
    "auction", "bidders", "state", "company", "budget", "deficit", "revenue", "growth", "demand", "outlook",
    "forecast", "uncertain", "likely", "limited", "broad", "narrow", "timeline", "deadline", "approval",
    "parliament", "committee", "draft", "text", "clause", "dispute", "arbitration", "court", "ruling", "appeal",
    "observers", "question", "whether", "commitment", "holds", "while", "despite", "because", "although",
    "however", "several", "two", "three", "major", "minor", "senior", "junior", "public", "private", "joint",
    "initial", "final", "interim", "formal", "informal",
];

#[rustfmt::skip]
const PUBLISHERS: [&str; 8] = [
    "Wire Service", "Financial Daily", "Energy Monitor", "Trade Journal", "Regional Herald", "Policy Review",
    "Markets Today", "Reuters-like Feed",
];

#[rustfmt::skip]
const LOCATIONS: [&str; 10] = [
    "Geneva", "Vienna", "Singapore", "Dubai", "Istanbul", "Nairobi", "Sao Paulo", "Jakarta", "Brussels",
    "Riyadh",
];

struct Actor {
    name: String,
    aliases: Vec<String>,
    kind: &'static str,
    description: String,
}

fn build_actors(rng: &mut Rng) -> Vec<Actor> {
    let mut used: HashSet<String> = HashSet::new();
    let mut claim = |s: &str| used.insert(slugify(s));
    let mut actors = Vec::new();
    for (i, (country, capital)) in COUNTRIES.iter().enumerate() {
        claim(country);
        let aliases = if i % 3 == 0 && claim(capital) {
            vec![capital.to_string()]
        } else {
            Vec::new()
        };
        actors.push(Actor {
            name: country.to_string(),
            aliases,
            kind: "country",
            description: format!("{country}, a recurring party in these briefings."),
        });
    }
    // Organisations: a kind of body in a country, until 160 exist.
    let mut orgs = 0;
    while orgs < 160 {
        let (country, _) = rng.pick(&COUNTRIES);
        let kind = rng.pick(&ORG_KINDS);
        let name = format!("{country} {kind}");
        if !claim(&name) {
            continue;
        }
        let acronym: String = name
            .split(' ')
            .filter_map(|w| w.chars().next())
            .filter(|c| c.is_ascii_uppercase())
            .collect();
        let aliases = if orgs % 4 == 0 && acronym.len() >= 3 && claim(&acronym) {
            vec![acronym]
        } else {
            Vec::new()
        };
        actors.push(Actor {
            name,
            aliases,
            kind: "organisation",
            description: format!("The {kind} of {country}."),
        });
        orgs += 1;
    }
    // People, until 500 actors.
    while actors.len() < 500 {
        let first = rng.pick(&FIRST);
        let last = rng.pick(&LAST);
        let name = format!("{first} {last}");
        if !claim(&name) {
            continue;
        }
        let alias = format!("{} {last}", &first[..1]);
        let aliases = if rng.chance(0.3) && claim(&alias) {
            vec![alias]
        } else {
            Vec::new()
        };
        let (country, _) = rng.pick(&COUNTRIES);
        let role = rng.pick(&ROLES);
        actors.push(Actor {
            name,
            aliases,
            kind: "person",
            description: format!("{country}'s {role}."),
        });
    }
    actors
}

fn build_tags() -> Vec<String> {
    let mut tags = Vec::new();
    for m in TAG_MODIFIERS {
        for w in TAG_WORDS {
            tags.push(if m.is_empty() {
                w.to_string()
            } else {
                format!("{m} {w}")
            });
        }
    }
    tags
}

fn yaml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A sentence of `n` words, sometimes naming an actor, with some emphasis.
fn sentence(rng: &mut Rng, n: usize, names: &[&str]) -> String {
    let mut words: Vec<String> = (0..n).map(|_| rng.pick(&WORDS).to_string()).collect();
    if !names.is_empty() && rng.chance(0.6) {
        let at = rng.below(words.len());
        words[at] = rng.pick(names).to_string();
    }
    if rng.chance(0.25) {
        let at = rng.below(words.len());
        words[at] = format!("*{}*", words[at]);
    } else if rng.chance(0.15) {
        let at = rng.below(words.len());
        words[at] = format!("**{}**", words[at]);
    }
    format!("{}.", capitalise(&words.join(" ")))
}

fn paragraph(rng: &mut Rng, words: usize, names: &[&str], link: bool) -> String {
    let mut out = Vec::new();
    let mut left = words;
    while left > 0 {
        let n = (6 + rng.below(10)).min(left);
        out.push(sentence(rng, n.max(3), names));
        left -= n;
    }
    if link {
        let at = rng.below(out.len());
        let id = rng.next() % 100_000;
        out[at] = format!(
            "{} See [the report](https://example.com/reports/{id}).",
            out[at]
        );
    }
    out.join(" ")
}

fn body(rng: &mut Rng, names: &[&str]) -> String {
    let mut b = String::new();
    let _ = writeln!(b, "{}\n", paragraph(rng, 45, names, true));
    let _ = writeln!(b, "## Background\n\n{}\n", paragraph(rng, 60, names, false));
    for _ in 0..3 + rng.below(3) {
        let n = 6 + rng.below(5);
        let _ = writeln!(b, "- {}", sentence(rng, n, names));
    }
    b.push('\n');
    let _ = writeln!(b, "## Assessment\n\n{}\n", paragraph(rng, 60, names, true));
    if rng.chance(0.2) {
        b.push_str("### Key figures\n\n| Item | Before | After |\n|---|---:|---:|\n");
        for _ in 0..4 {
            let _ = writeln!(
                b,
                "| {} | {} | {} |",
                capitalise(rng.pick::<&str>(&WORDS)),
                rng.below(1000),
                rng.below(1000)
            );
        }
        b.push('\n');
    }
    let _ = writeln!(b, "{}", paragraph(rng, 30, names, false));
    b
}

/// One briefing, in both dialects.
struct Briefing {
    slug: String,
    file: String,
    brief: String,
    hugo: String,
}

#[allow(clippy::too_many_arguments)]
fn briefing(
    i: usize,
    rng: &mut Rng,
    actors: &[Actor],
    tags: &[String],
    theme_z: &Zipf,
    actor_z: &Zipf,
    tag_z: &Zipf,
) -> Briefing {
    // Dates: 2015-01-01 .. 2024-12-31.
    let day0 = NaiveDate::from_ymd_opt(2015, 1, 1).expect("valid date");
    let date = day0 + Duration::days(rng.below(3653) as i64);
    let p = rng.unit();
    let (written, hugo_date, precision) = if p < 0.85 {
        (date.format("%Y-%m-%d").to_string(), date, "day")
    } else if p < 0.97 {
        (
            date.format("%Y-%m").to_string(),
            date.with_day(1).expect("day 1"),
            "month",
        )
    } else {
        (
            date.format("%Y").to_string(),
            NaiveDate::from_ymd_opt(date.year(), 1, 1).expect("Jan 1"),
            "year",
        )
    };
    let end_date = (precision == "day" && rng.chance(0.05))
        .then(|| date + Duration::days(1 + rng.below(5) as i64));

    let mut themes = vec![theme_z.sample(rng)];
    if rng.chance(0.15) {
        let t = theme_z.sample(rng);
        if t != themes[0] {
            themes.push(t);
        }
    }
    let who = actor_z.distinct(1 + rng.below(5), rng);
    let tag_idx = tag_z.distinct(3, rng);
    let names: Vec<&str> = who.iter().map(|&a| actors[a].name.as_str()).collect();

    let lead = &actors[who[0]].name;
    let title = format!(
        "{lead} {} {} {}",
        rng.pick(&VERBS),
        rng.pick(&OBJECTS),
        rng.pick(&QUALIFIERS)
    );
    let slug = format!("{}-{i}", slugify(&title));
    let file = format!("{}-{slug}", date.format("%Y-%m-%d"));

    let status = match rng.below(100) {
        0..80 => "confirmed",
        80..88 => "developing",
        88..95 => "disputed",
        _ => "expected",
    };
    let confidence = match rng.below(10) {
        0..3 => None,
        3..5 => Some("low"),
        5..8 => Some("moderate"),
        _ => Some("high"),
    };
    let location = rng.chance(0.5).then(|| *rng.pick(&LOCATIONS));
    let summary = rng
        .chance(0.5)
        .then(|| paragraph(rng, 25, &names, false).replace('*', ""));
    let sources: Vec<(String, String, &str)> = (0..1 + rng.below(3))
        .map(|_| {
            let id = rng.next() % 1_000_000;
            (
                format!("https://news.example.org/{id}"),
                capitalise(&paragraph(rng, 8, &[], false).replace('*', "")),
                *rng.pick(&PUBLISHERS),
            )
        })
        .collect();
    let text = body(rng, &names);

    // brief: topic by title (sometimes by slug), actors sometimes by an alias.
    let mut b = String::with_capacity(3000);
    let _ = writeln!(b, "---\ntitle: {}\ndate: {written}", yaml_str(&title));
    if let Some(e) = end_date {
        let _ = writeln!(b, "end_date: {}", e.format("%Y-%m-%d"));
    }
    let topic = |t: usize| {
        if i.is_multiple_of(7) {
            slugify(THEMES[t])
        } else {
            THEMES[t].to_string()
        }
    };
    if themes.len() == 1 {
        let _ = writeln!(b, "topic: {}", yaml_str(&topic(themes[0])));
    } else {
        let list: Vec<String> = themes.iter().map(|&t| yaml_str(&topic(t))).collect();
        let _ = writeln!(b, "topic: [{}]", list.join(", "));
    }
    let written_actors: Vec<String> = who
        .iter()
        .map(|&a| {
            let ac = &actors[a];
            let name = if !ac.aliases.is_empty() && rng.chance(0.3) {
                &ac.aliases[0]
            } else {
                &ac.name
            };
            yaml_str(name)
        })
        .collect();
    let _ = writeln!(b, "actors: [{}]", written_actors.join(", "));
    let tag_list: Vec<String> = tag_idx.iter().map(|&t| yaml_str(&tags[t])).collect();
    let _ = writeln!(b, "tags: [{}]", tag_list.join(", "));
    if let Some(s) = &summary {
        let _ = writeln!(b, "summary: {}", yaml_str(s));
    }
    if let Some(l) = location {
        let _ = writeln!(b, "location: {l}");
    }
    let _ = writeln!(b, "status: {status}");
    if let Some(c) = confidence {
        let _ = writeln!(b, "confidence: {c}");
    }
    b.push_str("sources:\n");
    for (url, title, publisher) in &sources {
        let _ = writeln!(
            b,
            "  - url: {url}\n    title: {}\n    publisher: {publisher}",
            yaml_str(title)
        );
    }
    b.push_str("---\n\n");
    b.push_str(&text);

    // Hugo: full dates, canonical names, the rest under params.
    let mut h = String::with_capacity(3000);
    let _ = writeln!(
        h,
        "---\ntitle: {}\ndate: {}\nslug: {slug}",
        yaml_str(&title),
        hugo_date.format("%Y-%m-%d")
    );
    let list: Vec<String> = themes.iter().map(|&t| yaml_str(THEMES[t])).collect();
    let _ = writeln!(h, "themes: [{}]", list.join(", "));
    let list: Vec<String> = names.iter().map(|n| yaml_str(n)).collect();
    let _ = writeln!(h, "actors: [{}]", list.join(", "));
    let _ = writeln!(h, "tags: [{}]", tag_list.join(", "));
    if let Some(s) = &summary {
        let _ = writeln!(h, "summary: {}", yaml_str(s));
    }
    let _ = writeln!(h, "params:\n  precision: {precision}\n  status: {status}");
    if let Some(e) = end_date {
        let _ = writeln!(h, "  end_date: {}", e.format("%Y-%m-%d"));
    }
    if let Some(l) = location {
        let _ = writeln!(h, "  location: {l}");
    }
    if let Some(c) = confidence {
        let _ = writeln!(h, "  confidence: {c}");
    }
    h.push_str("  sources:\n");
    for (url, title, publisher) in &sources {
        let _ = writeln!(
            h,
            "    - url: {url}\n      title: {}\n      publisher: {publisher}",
            yaml_str(title)
        );
    }
    h.push_str("---\n\n");
    h.push_str(&text);

    Briefing {
        slug,
        file,
        brief: b,
        hugo: h,
    }
}

#[rustfmt::skip]
const COLORS: [&str; 8] = [
    "#8a1c1c", "#1f5f8b", "#b07d12", "#2e7d32", "#6a1b9a", "#00838f", "#5d4037", "#c62828",
];

fn site_yaml(actors: &[Actor]) -> String {
    let mut s = String::from(
        "title: Benchmark briefings\ndescription: A generated corpus for measuring build speed.\nbase_url: https://bench.example.org/\nlanguage: en\ntimezone: UTC\npage_size: 50\nraw_html: sanitize\nthemes:\n",
    );
    for (i, t) in THEMES.iter().enumerate() {
        let _ = writeln!(
            s,
            "  - title: {t}\n    slug: {}\n    description: Briefings on {}.\n    color: \"{}\"",
            slugify(t),
            t.to_lowercase(),
            COLORS[i % COLORS.len()]
        );
    }
    s.push_str("actors:\n");
    for a in actors {
        let _ = writeln!(s, "  - name: {}", yaml_str(&a.name));
        if !a.aliases.is_empty() {
            let list: Vec<String> = a.aliases.iter().map(|x| yaml_str(x)).collect();
            let _ = writeln!(s, "    aliases: [{}]", list.join(", "));
        }
        let _ = writeln!(
            s,
            "    kind: {}\n    description: {}",
            a.kind,
            yaml_str(&a.description)
        );
    }
    s
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}

fn usage() -> ! {
    eprintln!("usage: corpus --count N --out DIR [--seed S]");
    std::process::exit(2)
}

fn main() -> std::io::Result<()> {
    let mut count: Option<usize> = None;
    let mut out: Option<PathBuf> = None;
    let mut seed: u64 = 42;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--count" => count = Some(value().parse().unwrap_or_else(|_| usage())),
            "--out" => out = Some(PathBuf::from(value())),
            "--seed" => seed = value().parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    let (Some(count), Some(out)) = (count, out) else {
        usage()
    };
    if out.exists() {
        if !out.join(MARKER).exists() {
            eprintln!(
                "{} exists and was not written by this program; refusing to overwrite it",
                out.display()
            );
            std::process::exit(1);
        }
        std::fs::remove_dir_all(&out)?;
    }
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join(MARKER), format!("count {count} seed {seed}\n"))?;

    let mut rng = Rng(seed);
    let actors = build_actors(&mut rng);
    let tags = build_tags();
    let theme_z = Zipf::new(THEMES.len(), 1.0, &mut rng);
    let actor_z = Zipf::new(actors.len(), 1.0, &mut rng);
    let tag_z = Zipf::new(tags.len(), 0.9, &mut rng);

    let brief_root = out.join("brief");
    let hugo_content = out.join("hugo").join("content");
    write(&brief_root.join("site.yaml"), &site_yaml(&actors))?;
    for (i, t) in THEMES.iter().enumerate() {
        let text = format!(
            "---\ntitle: {}\ndescription: Briefings on {}.\nparams:\n  color: \"{}\"\n---\n",
            yaml_str(t),
            t.to_lowercase(),
            COLORS[i % COLORS.len()]
        );
        write(
            &hugo_content
                .join("themes")
                .join(slugify(t))
                .join("_index.md"),
            &text,
        )?;
    }
    for a in &actors {
        let aliases: Vec<String> = a.aliases.iter().map(|x| yaml_str(x)).collect();
        let text = format!(
            "---\ntitle: {}\ndescription: {}\nparams:\n  kind: {}\n  also: [{}]\n---\n",
            yaml_str(&a.name),
            yaml_str(&a.description),
            a.kind,
            aliases.join(", ")
        );
        write(
            &hugo_content
                .join("actors")
                .join(slugify(&a.name))
                .join("_index.md"),
            &text,
        )?;
    }
    for i in 0..count {
        let b = briefing(i, &mut rng, &actors, &tags, &theme_z, &actor_z, &tag_z);
        let year = &b.file[..4];
        write(
            &brief_root
                .join("content")
                .join(year)
                .join(format!("{}.md", b.file)),
            &b.brief,
        )?;
        write(
            &hugo_content
                .join("briefings")
                .join(year)
                .join(format!("{}.md", b.slug)),
            &b.hugo,
        )?;
    }
    println!(
        "wrote {count} briefings to {} and {}",
        brief_root.display(),
        hugo_content.display()
    );
    Ok(())
}
