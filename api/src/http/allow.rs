//! The `Allow` header every 405 carries (RFC 9110, 15.5.6): the methods the server
//! answers at the request's path. The routes come from the OpenAPI document
//! (`openapi::allowed_methods`), made from the same composition the server is built from,
//! and reach here as app data: infrastructure knows no endpoint of its own.

/// A documented path, its segments (`None` for a `{parameter}`), and its methods.
#[derive(Debug)]
struct Route {
    segments: Vec<Option<String>>,
    methods: Vec<&'static str>,
}

/// Every documented path with its methods.
#[derive(Debug, Default)]
pub struct AllowedMethods {
    routes: Vec<Route>,
}

impl AllowedMethods {
    /// From (path template, its methods) pairs: `/participants/{id}`, `["GET", "PUT"]`.
    pub fn new(paths: impl IntoIterator<Item = (String, Vec<&'static str>)>) -> AllowedMethods {
        let routes = paths.into_iter().map(|(path, methods)| Route { segments: path.split('/').map(|s| (!s.starts_with('{')).then(|| s.to_owned())).collect(), methods }).collect();
        AllowedMethods { routes }
    }

    /// The methods allowed at `path` (every route it matches: `/participants/search`
    /// takes POST, and GET as a `/participants/{id}`), as the header's value.
    pub fn at(&self, path: &str) -> String {
        let segments: Vec<&str> = path.split('/').collect();
        let matches = |route: &Route| route.segments.len() == segments.len() && route.segments.iter().zip(&segments).all(|(r, s)| r.as_deref().map_or(!s.is_empty(), |r| r == *s));
        let mut methods: Vec<&str> = self.routes.iter().filter(|r| matches(r)).flat_map(|r| r.methods.iter().copied()).collect();
        methods.sort_unstable();
        methods.dedup();
        methods.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::AllowedMethods;

    #[test]
    fn the_methods_of_every_route_a_path_matches() {
        let allowed = AllowedMethods::new([
            ("/health/live".to_owned(), vec!["GET"]),
            ("/api/v1/participants/search".to_owned(), vec!["POST"]),
            ("/api/v1/participants/{id}".to_owned(), vec!["GET", "PUT"]),
            ("/api/v1/participants/{id}/safety-plan".to_owned(), vec!["GET", "PUT"]),
        ]);
        assert_eq!(allowed.at("/health/live"), "GET");
        assert_eq!(allowed.at("/api/v1/participants/search"), "GET, POST, PUT", "search, and a participant whose id would be `search`");
        assert_eq!(allowed.at("/api/v1/participants/p-1/safety-plan"), "GET, PUT");
        assert_eq!(allowed.at("/api/v1/participants//safety-plan"), "", "a parameter is never empty");
        assert_eq!(allowed.at("/api/v1/nothing/here"), "");
    }
}
