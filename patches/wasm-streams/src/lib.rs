//! The part of [wasm-streams](https://crates.io/crates/wasm-streams) 0.5 that `server_fn` calls:
//! a web `ReadableStream` from a Rust `Stream` and back.
//!
//! Leptos always depends on `server_fn`, whose browser client streams through wasm-streams; the
//! portal has no server functions, so none of that code is ever reached and the linker drops it.
//! Not so the real crate's three `#[wasm_bindgen]` classes (`IntoUnderlyingSource`, `…Sink`,
//! `…ByteSource`): exports are kept whether used or not, with their JS glue, about 4 KB of the
//! portal's brotli first load (issue 6). This crate builds the same two bridges from closures,
//! exports nothing, and is wired in by `[patch.crates-io]` in the root Cargo.toml.

pub mod readable {
    use std::cell::RefCell;
    use std::rc::Rc;

    use futures_util::future;
    use futures_util::stream::{self, LocalBoxStream, Stream, StreamExt};
    use js_sys::{Object, Promise, Reflect};
    use wasm_bindgen::{closure::Closure, JsCast, JsValue, UnwrapThrowExt};
    use wasm_bindgen_futures::{future_to_promise, JsFuture};
    use web_sys::{QueuingStrategy, ReadableStreamDefaultController, ReadableStreamDefaultReader};

    /// The raw web types, as in wasm-streams.
    pub mod sys {
        pub use web_sys::ReadableStream;
    }

    /// A web `ReadableStream`.
    pub struct ReadableStream {
        raw: sys::ReadableStream,
    }

    /// The items of a `ReadableStream`, as a Rust `Stream`.
    pub type IntoStream<'a> = LocalBoxStream<'a, Result<JsValue, JsValue>>;

    impl ReadableStream {
        pub fn from_raw(raw: sys::ReadableStream) -> Self {
            Self { raw }
        }

        pub fn into_raw(self) -> sys::ReadableStream {
            self.raw
        }

        /// A `ReadableStream` that pulls `stream`'s items one at a time (nothing is queued
        /// ahead, as in wasm-streams); an `Err` item errors the web stream.
        pub fn from_stream<St>(stream: St) -> Self
        where
            St: Stream<Item = Result<JsValue, JsValue>> + 'static,
        {
            let stream = Rc::new(RefCell::new(stream.boxed_local()));
            let pull = Closure::<dyn FnMut(ReadableStreamDefaultController) -> Promise>::new(
                move |controller: ReadableStreamDefaultController| {
                    let stream = Rc::clone(&stream);
                    future_to_promise(async move {
                        // A stream pulls again only once this promise settles: one borrow at a time.
                        let next = future::poll_fn(|cx| stream.borrow_mut().poll_next_unpin(cx));
                        match next.await {
                            Some(Ok(chunk)) => controller.enqueue_with_chunk(&chunk)?,
                            Some(Err(error)) => return Err(error),
                            None => controller.close()?,
                        }
                        Ok(JsValue::UNDEFINED)
                    })
                },
            );
            let source = Object::new();
            // Set on a fresh plain object: cannot fail.
            let _ = Reflect::set(&source, &"pull".into(), &pull.into_js_value());
            let strategy = QueuingStrategy::new();
            strategy.set_high_water_mark(0.0);
            // Throws (as wasm-streams does) only if the browser has no ReadableStream.
            let raw =
                sys::ReadableStream::new_with_underlying_source_and_strategy(&source, &strategy)
                    .expect_throw("ReadableStream is not supported");
            Self::from_raw(raw)
        }

        /// The stream's chunks until it closes; a failed read ends it with that error.
        pub fn into_stream(self) -> IntoStream<'static> {
            let reader: ReadableStreamDefaultReader = self.raw.get_reader().unchecked_into();
            stream::unfold(Some(reader), |reader| async move {
                let reader = reader?;
                match JsFuture::from(reader.read()).await {
                    Err(error) => Some((Err(error), None)),
                    Ok(result) => {
                        let done =
                            Reflect::get(&result, &"done".into()).map_or(true, |d| d.is_truthy());
                        (!done).then(|| (Reflect::get(&result, &"value".into()), Some(reader)))
                    }
                }
            })
            .boxed_local()
        }
    }
}

pub use readable::ReadableStream;
