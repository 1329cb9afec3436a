//! Template functions that need the site: `theme_url(name=…)` and `actor_url(name=…)` link to
//! a theme's or an actor's page by any of its names (title, slug, alias).

use std::collections::HashMap;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::load::slug::slugify;
use crate::model::Site;

/// Registers stand-ins, so that templates using the functions compile before a site exists.
pub fn register_placeholders(tera: &mut Tera) {
    for name in ["theme_url", "actor_url"] {
        tera.register_function(name, move |_: Kwargs, _: &State| -> TeraResult<Value> {
            Err(tera::Error::message(format!(
                "`{name}` is only available while rendering a site"
            )))
        });
    }
}

/// Name → page URL, keyed by slug so that any spelling of a name matches.
struct Index {
    what: &'static str,
    urls: HashMap<String, String>,
    names: Vec<String>,
}

impl Index {
    fn lookup(&self, kwargs: &Kwargs) -> TeraResult<Value> {
        let name: String = kwargs.must_get::<&str>("name")?.to_string();
        if let Some(url) = self.urls.get(&slugify(&name)) {
            return Ok(Value::from(url.as_str()));
        }
        let hint = match crate::suggest::closest(&name, self.names.iter().map(String::as_str)) {
            Some(best) => format!("; did you mean `{best}`?"),
            None => String::new(),
        };
        Err(tera::Error::message(format!(
            "no {} named `{name}`{hint}",
            self.what
        )))
    }
}

/// Registers the functions for this site; call after [`crate::model::build`], before rendering.
pub fn register(tera: &mut Tera, site: &Site) {
    let base = &site.config.base_path;
    let mut themes = Index {
        what: "theme",
        urls: HashMap::new(),
        names: Vec::new(),
    };
    for t in &site.themes {
        let url = format!("{base}themes/{}/", t.slug);
        themes
            .urls
            .entry(t.slug.clone())
            .or_insert_with(|| url.clone());
        themes.urls.entry(slugify(&t.title)).or_insert(url);
        themes.names.push(t.title.clone());
    }
    let mut actors = Index {
        what: "actor",
        urls: HashMap::new(),
        names: Vec::new(),
    };
    for a in &site.actors {
        let url = format!("{base}actors/{}/", a.slug);
        for n in std::iter::once(&a.name).chain(&a.aliases) {
            actors.urls.entry(slugify(n)).or_insert_with(|| url.clone());
            actors.names.push(n.clone());
        }
        actors.urls.entry(a.slug.clone()).or_insert(url);
    }
    let (themes, actors) = (Arc::new(themes), Arc::new(actors));
    tera.register_function("theme_url", move |kwargs: Kwargs, _: &State| {
        themes.lookup(&kwargs)
    });
    tera.register_function("actor_url", move |kwargs: Kwargs, _: &State| {
        actors.lookup(&kwargs)
    });
}
