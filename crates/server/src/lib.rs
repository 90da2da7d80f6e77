//! HTTP API and web dashboard over the store (the server issue builds it).
