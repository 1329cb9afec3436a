//! The HTTP side of `brief serve`: answers from the in-memory site only, and pushes
//! rebuild events to open tabs over server-sent events.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Response, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use futures_util::stream::Stream;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt as _;

use super::incremental::{Deferred, Pages, Update};
use super::overlay;

/// A message for open tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A rebuild finished: reload.
    Reload,
    /// Only stylesheets changed: swap them.
    Css,
    /// A build failed: show this overlay HTML.
    Error(String),
}

/// Everything the request handlers share: the current site and the error, if one stands.
pub struct Shared {
    pages: RwLock<Pages>,
    /// Held while a deferred page is rendered and stored, and while a rebuild is published,
    /// so a page rendered from an older site can never land after a newer one.
    deferred: std::sync::Mutex<Arc<Deferred>>,
    overlay: RwLock<Option<Arc<str>>>,
    notices: broadcast::Sender<Notice>,
    instance: String,
}

impl Shared {
    /// Starts with the given site (possibly empty).
    pub fn new(pages: Pages, deferred: Arc<Deferred>) -> Arc<Shared> {
        let (notices, _) = broadcast::channel(64);
        let instance = format!(
            "{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or(0)
        );
        Arc::new(Shared {
            pages: RwLock::new(pages),
            deferred: std::sync::Mutex::new(deferred),
            overlay: RwLock::new(None),
            notices,
            instance,
        })
    }

    /// Applies a finished rebuild in one step (readers see the old site or the new one, never
    /// a mix), clears any error, then tells the tabs.
    pub fn publish(&self, site: &Pages, update: &Update, deferred: Arc<Deferred>, notice: Notice) {
        {
            let mut current = self.deferred.lock().unwrap_or_else(|e| e.into_inner());
            let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
            // Pages left for later keep their last good bytes: a request renders them first,
            // and serves the old ones (with the error) only if that fails.
            for path in &update.removed {
                pages.remove(path);
            }
            *current = deferred;
            for path in &update.written {
                if let Some(bytes) = site.get(path) {
                    pages.insert(path.clone(), bytes.clone());
                }
            }
        }
        *self.overlay.write().unwrap_or_else(|e| e.into_inner()) = None;
        let _ = self.notices.send(notice);
    }

    /// Records a failed build; the last good site stays.
    pub fn fail(&self, overlay_html: String) {
        *self.overlay.write().unwrap_or_else(|e| e.into_inner()) =
            Some(Arc::from(overlay_html.as_str()));
        let _ = self.notices.send(Notice::Error(overlay_html));
    }

    /// Is an error standing?
    pub fn has_error(&self) -> bool {
        self.overlay
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Subscribes to notices (used by tests and the event stream).
    pub fn subscribe(&self) -> broadcast::Receiver<Notice> {
        self.notices.subscribe()
    }
}

/// Builds the router.
pub fn router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new()
        .route("/__brief/events", axum::routing::get(events))
        .fallback(serve_page)
        .with_state(shared)
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let hello = Event::default()
        .event("hello")
        .data(shared.instance.clone())
        .retry(std::time::Duration::from_millis(500));
    let standing = shared
        .overlay
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let mut first = vec![Ok(hello)];
    if let Some(o) = standing {
        first.push(Ok(error_event(&o)));
    }
    let rest = BroadcastStream::new(shared.subscribe()).filter_map(|n| {
        n.ok().map(|n| {
            Ok(match n {
                Notice::Reload => Event::default().event("reload").data("1"),
                Notice::Css => Event::default().event("css").data("1"),
                Notice::Error(html) => error_event(&html),
            })
        })
    });
    Sse::new(tokio_stream::iter(first).chain(rest)).keep_alive(KeepAlive::default())
}

fn error_event(html: &str) -> Event {
    Event::default()
        .event("build-error")
        .data(serde_json::to_string(html).unwrap_or_default())
}

/// Maps a request path to a key of the in-memory site, refusing anything that could mean a
/// different place: `..` and `.` segments (also percent-encoded), backslashes, NUL bytes.
pub fn resolve(path: &str) -> Option<(String, bool)> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) || !decoded.starts_with('/') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return None,
            s if s.contains(':') => return None,
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    let dir = decoded.ends_with('/') || joined.is_empty();
    Some((joined, dir))
}

enum Lookup {
    Found(String, Arc<[u8]>),
    Redirect(String),
    Missing,
}

/// The page that stands for a folder (`key` as [`resolve`] gives it).
fn folder_page(key: &str) -> String {
    if key.is_empty() {
        "index.html".to_string()
    } else {
        format!("{key}/index.html")
    }
}

fn lookup(pages: &Pages, path: &str) -> Lookup {
    let Some((key, dir)) = resolve(path) else {
        return Lookup::Missing;
    };
    if dir {
        let k = folder_page(&key);
        return match pages.get(&k) {
            Some(b) => Lookup::Found(k, b.clone()),
            None => Lookup::Missing,
        };
    }
    if let Some(b) = pages.get(&key) {
        return Lookup::Found(key, b.clone());
    }
    if pages.contains_key(&folder_page(&key)) {
        // A folder asked for without its slash: send the browser to the canonical URL.
        return Lookup::Redirect(format!("{path}/"));
    }
    Lookup::Missing
}

async fn serve_page(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response<Body> {
    if method != Method::GET && method != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
    }
    let overlay = match render_deferred(&shared, uri.path()) {
        Some(diags) => Some(Arc::from(overlay::overlay_html(&diags).as_str())),
        None => (shared.overlay.read())
            .unwrap_or_else(|e| e.into_inner())
            .clone(),
    };
    // Hold the lock only for the lookup; the bytes are shared, so nothing is copied.
    let (found, not_found_page) = {
        let pages = shared.pages.read().unwrap_or_else(|e| e.into_inner());
        let found = lookup(&pages, uri.path());
        let not_found = match found {
            Lookup::Missing => pages.get("404.html").cloned(),
            _ => None,
        };
        (found, not_found)
    };
    match found {
        Lookup::Found(key, bytes) => respond(StatusCode::OK, &key, &bytes, overlay.as_deref()),
        Lookup::Redirect(location) => {
            let mut r = plain(StatusCode::MOVED_PERMANENTLY, "moved");
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Lookup::Missing => {
            // Without a site yet (the first build failed) there is no 404 page; the error still shows.
            let fallback: &[u8] = b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1></body></html>";
            let body = not_found_page.as_deref().unwrap_or(fallback);
            respond(StatusCode::NOT_FOUND, "404.html", body, overlay.as_deref())
        }
    }
}

/// Renders a page that a rebuild left for later, if this request is for one; returns the
/// errors if that failed (the page then keeps its last good bytes).
fn render_deferred(shared: &Shared, path: &str) -> Option<Vec<crate::diagnostic::Diagnostic>> {
    let (key, dir) = resolve(path)?;
    // The same candidates, in the same order, as `lookup` will try.
    let folder = folder_page(&key);
    let candidates = if dir { vec![folder] } else { vec![key, folder] };
    let deferred = shared.deferred.lock().unwrap_or_else(|e| e.into_inner());
    let (key, result) = candidates
        .into_iter()
        .find_map(|k| deferred.render(&k).map(|r| (k, r)))?;
    match result {
        Ok(bytes) => {
            (shared.pages.write())
                .unwrap_or_else(|e| e.into_inner())
                .insert(key, bytes);
            None
        }
        Err(diags) => Some(diags),
    }
}

fn respond(status: StatusCode, key: &str, bytes: &[u8], overlay: Option<&str>) -> Response<Body> {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let body = if is_html {
        overlay::inject(bytes, overlay)
    } else {
        bytes.to_vec()
    };
    let content_type = if mime.type_() == "text"
        || mime.essence_str() == "application/javascript"
        || mime.essence_str() == "application/json"
        || mime.subtype() == "xml"
    {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut r = (status, text).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn resolve_refuses_every_escape() {
        assert_eq!(resolve("/"), Some((String::new(), true)));
        assert_eq!(resolve("/themes/x/"), Some(("themes/x".into(), true)));
        assert_eq!(resolve("/style.css"), Some(("style.css".into(), false)));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/x",
            "/a/%2E%2E/%2e%2e/b",
            "/a%2f..%2f..%2fb",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/%00",
            "/C:/windows",
            "/./x",
        ] {
            assert_eq!(resolve(bad), None, "{bad}");
        }
    }
}
