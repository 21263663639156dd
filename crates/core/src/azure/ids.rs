//! ARM endpoints, ids and names, checked before anything becomes a URL: a token only ever goes
//! to the ARM endpoint's host, and a name or id from a response that could step outside its
//! resource (`..`, `?`, `#`, `%`, a backslash, white space) is refused.

use ureq::http::Uri;

use super::AzureError;
use crate::model::azure::ArmId;

/// An endpoint the client may send a token to: scheme, host and port, and the base URL
/// (`https://management.azure.com/`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Always ends with `/`.
    pub base: String,
    scheme: String,
    host: String,
    port: u16,
}

fn default_port(scheme: &str) -> u16 {
    if scheme == "http" { 80 } else { 443 }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Endpoint {
    /// Parses an endpoint: `https://` anywhere, plain `http://` only on this machine (a test
    /// server on 127.0.0.1); no query, fragment or credentials.
    pub fn parse(text: &str) -> Result<Self, AzureError> {
        let bad = |why: &str| AzureError::BadEndpoint {
            endpoint: text.to_owned(),
            why: why.to_owned(),
        };
        let uri: Uri = text
            .trim()
            .parse()
            .map_err(|_| bad("not a URL (e.g. https://management.azure.com/)"))?;
        let scheme = uri
            .scheme_str()
            .ok_or_else(|| bad("not an absolute URL (e.g. https://management.azure.com/)"))?
            .to_ascii_lowercase();
        let host = uri
            .host()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("the URL has no host"))?
            .to_ascii_lowercase();
        if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
            return Err(bad("the URL must not carry credentials"));
        }
        if uri.query().is_some() {
            return Err(bad("the URL must not have a query"));
        }
        match scheme.as_str() {
            "https" => {}
            "http" if is_loopback(&host) => {}
            "http" => {
                return Err(bad(
                    "plain http would send the token unencrypted: use https (http is allowed only to this machine, for tests)",
                ));
            }
            _ => return Err(bad("the URL must start with https://")),
        }
        let port = uri.port_u16().unwrap_or_else(|| default_port(&scheme));
        let mut base = format!("{scheme}://{}", uri.authority().map_or("", |a| a.as_str()));
        let path = uri.path().trim_end_matches('/');
        base.push_str(path);
        base.push('/');
        Ok(Self {
            base,
            scheme,
            host,
            port,
        })
    }

    /// Whether `url` goes to this endpoint's scheme, host and port.
    pub fn owns(&self, url: &str) -> bool {
        self.host_of(url).is_ok_and(|h| h == self.authority())
    }

    /// `scheme://host:port` of this endpoint.
    pub fn authority(&self) -> String {
        format!("{}://{}:{}", self.scheme, self.host, self.port)
    }

    /// `scheme://host:port` of `url`, to compare with [`Self::authority`].
    pub fn host_of(&self, url: &str) -> Result<String, String> {
        let uri: Uri = url.parse().map_err(|_| "not a URL".to_owned())?;
        let scheme = uri
            .scheme_str()
            .ok_or("not an absolute URL")?
            .to_ascii_lowercase();
        let host = uri.host().ok_or("no host")?.to_ascii_lowercase();
        if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
            return Err("credentials in the URL".to_owned());
        }
        let port = uri.port_u16().unwrap_or_else(|| default_port(&scheme));
        Ok(format!("{scheme}://{host}:{port}"))
    }

    /// The URL of `path` (which starts with `/`) with `query`.
    pub fn url(&self, path: &str, query: &str) -> String {
        format!("{}{}?{query}", self.base, path.trim_start_matches('/'))
    }

    pub fn is_loopback(&self) -> bool {
        is_loopback(&self.host)
    }
}

/// Why a name cannot be a path segment, if it cannot.
pub fn check_segment(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("an empty name".to_owned());
    }
    if name == "." || name == ".." {
        return Err(format!("the name {name:?} steps outside the resource"));
    }
    if name.chars().count() > 260 {
        return Err("a name longer than 260 characters".to_owned());
    }
    if let Some(c) = name.chars().find(|c| {
        c.is_control()
            || c.is_whitespace()
            || matches!(
                c,
                '/' | '\\' | '?' | '#' | '%' | '&' | '<' | '>' | '"' | '|' | '*' | ':'
            )
    }) {
        return Err(format!("the character {c:?} has no place in an ARM name"));
    }
    Ok(())
}

/// A name as a URL path segment: ASCII letters, digits and `-._()` as they are, the rest
/// percent-encoded (resource group names may hold letters of any script).
pub fn encode_segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'(' | b')') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What an id names: a gallery, an image definition or a version, with where it lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GalleryRef {
    pub subscription: String,
    pub resource_group: String,
    pub gallery: String,
    pub definition: Option<String>,
    pub version: Option<String>,
}

/// The kinds [`check_id`] tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    Gallery,
    Definition,
    Version,
}

impl IdKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Gallery => "gallery",
            Self::Definition => "image definition",
            Self::Version => "image version",
        }
    }
}

/// Takes apart the id of a gallery, definition or version as ARM returns it (any letter case;
/// the `/locations/<region>/` some of ARM's own examples carry), refusing anything else.
pub fn check_id(id: &str, kind: IdKind) -> Result<GalleryRef, String> {
    if !id.starts_with('/') {
        return Err("it does not start with /subscriptions/".to_owned());
    }
    for raw in id.split('/').filter(|s| !s.is_empty()) {
        check_segment(raw)?;
    }
    let parsed = ArmId::parse(id).ok_or("not an ARM id")?;
    let subscription = parsed.subscription.clone().ok_or("no subscription")?;
    let resource_group = parsed.resource_group.clone().ok_or("no resource group")?;
    if !parsed
        .provider
        .as_deref()
        .is_some_and(|p| p.eq_ignore_ascii_case("Microsoft.Compute"))
    {
        return Err("not a Microsoft.Compute resource".to_owned());
    }
    let (gallery, definition, version) = parsed
        .gallery_path()
        .ok_or("not a gallery, image definition or image version")?;
    let found = match (&definition, &version) {
        (None, _) => IdKind::Gallery,
        (Some(_), None) => IdKind::Definition,
        (Some(_), Some(_)) => IdKind::Version,
    };
    if found != kind {
        return Err(format!("it names an {}", found.label()));
    }
    Ok(GalleryRef {
        subscription,
        resource_group,
        gallery,
        definition,
        version,
    })
}

impl GalleryRef {
    /// The resource's path in ARM (`/subscriptions/…/galleries/g[/images/d[/versions/v]]`),
    /// each name encoded.
    pub fn path(&self) -> String {
        let mut path = format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/galleries/{}",
            encode_segment(&self.subscription),
            encode_segment(&self.resource_group),
            encode_segment(&self.gallery)
        );
        if let Some(d) = &self.definition {
            path.push_str("/images/");
            path.push_str(&encode_segment(d));
            if let Some(v) = &self.version {
                path.push_str("/versions/");
                path.push_str(&encode_segment(v));
            }
        }
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        let e = Endpoint::parse("https://management.azure.com").unwrap();
        assert_eq!(e.base, "https://management.azure.com/");
        assert!(e.owns("https://MANAGEMENT.azure.com:443/subscriptions?x=1"));
        assert!(!e.owns("https://evil.example/subscriptions"));
        assert!(!e.owns("http://management.azure.com/subscriptions"));
        assert!(!e.owns("https://management.azure.com:8443/"));
        assert!(!e.owns("https://user@management.azure.com/"));
        assert!(Endpoint::parse("http://127.0.0.1:4321/").is_ok());
        let plain = Endpoint::parse("http://management.azure.com/").unwrap_err();
        assert!(plain.to_string().contains("unencrypted"));
        assert!(Endpoint::parse("management.azure.com").is_err());
        assert!(Endpoint::parse("https://management.azure.com/?a=b").is_err());
    }

    #[test]
    fn ids() {
        let id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/locations/westus/Galleries/g/Images/d";
        let r = check_id(id, IdKind::Definition).unwrap();
        assert_eq!(
            (r.gallery.as_str(), r.definition.as_deref()),
            ("g", Some("d"))
        );
        assert_eq!(
            r.path(),
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/d"
        );
        for bad in [
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/../images/d",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g?x/images/d",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/galleries/g/images/d",
            "subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/d",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g",
        ] {
            assert!(check_id(bad, IdKind::Definition).is_err(), "{bad}");
        }
        assert_eq!(encode_segment("rg-é (1)"), "rg-%C3%A9%20(1)");
    }
}
