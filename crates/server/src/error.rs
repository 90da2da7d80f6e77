//! The one error shape of the API, `{"message", "code", "type"}`, and the one table from error
//! code to HTTP status ([`ErrorCode::ALL`], also served in the OpenAPI document).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dyad_store::StoreError;
use serde::Serialize;

/// Every error code the API answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// A query parameter is missing, unknown, out of range or malformed.
    BadQuery,
    /// A request body could not be read as what its content type says.
    BadBody,
    /// A list parameter or a batch holds more values than allowed.
    TooManyValues,
    /// No bearer token was given to a write endpoint.
    Unauthorized,
    /// The bearer token is not the server's.
    Forbidden,
    /// No such event, document or route.
    NotFound,
    MethodNotAllowed,
    /// The client did not send its request in time.
    Timeout,
    /// The body is over the configured limit.
    PayloadTooLarge,
    UnsupportedMediaType,
    /// The server refuses writes (no token configured) or is saturated.
    Unavailable,
    /// The store could not answer (I/O, corruption).
    StoreFailed,
    Internal,
}

impl ErrorCode {
    /// The table: code, HTTP status, type, meaning.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::BadQuery,
        ErrorCode::BadBody,
        ErrorCode::TooManyValues,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Timeout,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::Unavailable,
        ErrorCode::StoreFailed,
        ErrorCode::Internal,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::BadQuery => "bad_query",
            ErrorCode::BadBody => "bad_body",
            ErrorCode::TooManyValues => "too_many_values",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Timeout => "timeout",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::StoreFailed => "store_failed",
            ErrorCode::Internal => "internal",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::BadQuery | ErrorCode::BadBody | ErrorCode::TooManyValues => StatusCode::BAD_REQUEST,
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::Timeout => StatusCode::REQUEST_TIMEOUT,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::StoreFailed | ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The family: `invalid_request` (fix the request), `auth`, `not_found`, `server` (retry later).
    pub fn kind(self) -> &'static str {
        match self {
            ErrorCode::Unauthorized | ErrorCode::Forbidden => "auth",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Unavailable | ErrorCode::StoreFailed | ErrorCode::Internal => "server",
            _ => "invalid_request",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            ErrorCode::BadQuery => "a query parameter is missing, unknown, out of range or malformed",
            ErrorCode::BadBody => "the request body is not what its content type says (the message gives the reason)",
            ErrorCode::TooManyValues => "a list parameter or a batch holds more values than allowed",
            ErrorCode::Unauthorized => "a write endpoint was called without `Authorization: Bearer <token>`",
            ErrorCode::Forbidden => "the bearer token is wrong",
            ErrorCode::NotFound => "no such event, document or route",
            ErrorCode::MethodNotAllowed => "the route exists but not with this method",
            ErrorCode::Timeout => "the request (headers or body) did not arrive in time",
            ErrorCode::PayloadTooLarge => "the body is over the configured limit (`--max-body`)",
            ErrorCode::UnsupportedMediaType => "the body's content type is not HTML, text or JSON",
            ErrorCode::Unavailable => "writes are off (no token configured) or the server is saturated",
            ErrorCode::StoreFailed => "the store could not answer (I/O error or corruption)",
            ErrorCode::Internal => "a bug: please report it",
        }
    }
}

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Serialize)]
struct Body<'a> {
    message: &'a str,
    code: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError { code, message: message.into() }
    }
    pub fn bad_query(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::BadQuery, message)
    }
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::NotFound, message)
    }
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Internal, message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::BadQuery(m) => ApiError::bad_query(m),
            e => ApiError::new(ErrorCode::StoreFailed, e.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body { message: &self.message, code: self.code.name(), kind: self.code.kind() };
        (self.code.status(), axum::Json(body)).into_response()
    }
}
