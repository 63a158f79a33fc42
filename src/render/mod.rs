//! Renderers: turn the view models that commands build into what people and scripts read.
//! Human text is styled with anstyle; whether the style reaches the terminal (a tty, no
//! `NO_COLOR`) is anstream's decision at the point of writing, so renderers never ask.

pub mod blocks;
pub mod check;
pub mod diagnostic;
pub mod digest;
pub mod doclog;
pub mod docs;
pub mod export;
pub mod github;
pub mod goals;
pub mod inbox;
pub mod index;
pub mod init;
pub mod json_schema;
pub mod markdown;
pub mod metrics;
pub mod mv;
pub mod people;
pub mod review;
pub mod search;
pub mod stale;
pub mod table;
pub mod templates;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

pub const BOLD: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
pub const ACCENT: Style = AnsiColor::Cyan.on_default();

/// `text` wrapped in `style`'s escape codes.
pub fn paint(style: Style, text: &str) -> String {
    format!("{}{text}{}", style.render(), style.render_reset())
}

/// Pretty JSON with a trailing newline: what every `--format json` prints.
pub fn json<T: Serialize>(value: &T) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and serde_json writes UTF-8.
    let _ = write_json(&mut out, value);
    String::from_utf8_lossy(&out).into_owned()
}

/// Streams pretty JSON and a newline to `out`: large listings never sit in memory as text.
pub fn write_json<T: Serialize>(out: &mut impl std::io::Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// serde_json's pretty format for a value that sits `base` levels deep in a document: its lines
/// indented as [`write_json`] would indent them there.
struct PrettyAt {
    base: usize,
    depth: usize,
    has_value: bool,
}

impl PrettyAt {
    fn at(base: usize) -> PrettyAt {
        PrettyAt {
            base,
            depth: 0,
            has_value: false,
        }
    }

    fn line<W: ?Sized + std::io::Write>(&self, out: &mut W) -> std::io::Result<()> {
        // One write of the newline and its indent: a write per level was a twentieth of
        // `kb ls --format json`.
        const SPACES: &[u8] = &[b' '; 64];
        out.write_all(b"\n")?;
        let mut width = 2 * (self.base + self.depth);
        while width > 0 {
            let run = width.min(SPACES.len());
            out.write_all(&SPACES[..run])?;
            width -= run;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(out)?;
        }
        out.write_all(bracket)
    }

    fn item<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if !first {
            out.write_all(b",")?;
        }
        self.line(out)
    }
}

impl serde_json::ser::Formatter for PrettyAt {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(out, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(out, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
    ) -> std::io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Items of a [`write_json_list`] serialized together, then written.
const BATCH: usize = 4096;
/// Items of a batch one task serializes.
const CHUNK: usize = 256;

/// Writes `items` as the pretty JSON array [`write_json`] would write at `depth` (the number of
/// objects and arrays around it), serializing the items on every core: a 50k-doc listing's
/// JSON costs as much as loading its docs.
pub fn write_json_list<T: Serialize + Sync>(
    out: &mut impl std::io::Write,
    items: &[T],
    depth: usize,
) -> std::io::Result<()> {
    write_json_list_by(out, items, depth, |item, text, depth| {
        write_json_at(text, item, depth)
    })
}

/// `value` as the pretty JSON [`write_json`] writes, for a value whose first line sits `depth`
/// levels deep.
pub fn write_json_at<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
    depth: usize,
) -> std::io::Result<()> {
    let mut json = serde_json::Serializer::with_formatter(&mut *out, PrettyAt::at(depth));
    value.serialize(&mut json).map_err(std::io::Error::from)
}

/// [`write_json_list`], each item written by `write` (as [`write_json_at`] would write it).
pub fn write_json_list_by<T: Sync>(
    out: &mut impl std::io::Write,
    items: &[T],
    depth: usize,
    write: impl Fn(&T, &mut Vec<u8>, usize) -> std::io::Result<()> + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    // Each chunk's text goes into a buffer kept from batch to batch: buffers made afresh each
    // time were a fifth of `kb ls --format json` at 100k docs (growing them, and the kernel
    // zeroing the fresh pages). Items are written indented as they nest here, not re-indented.
    let text = |chunk: &[T], text: &mut Vec<u8>| -> std::io::Result<()> {
        for item in chunk {
            crate::json_text::line(text, depth + 1);
            write(item, text, depth + 1)?;
            text.push(b',');
        }
        Ok(())
    };
    out.write_all(b"[")?;
    // A batch at a time, so the text in memory stays small (fresh memory is not free).
    let batches = items.chunks(BATCH);
    let last = batches.len() - 1;
    let mut buffers: Vec<Vec<u8>> = Vec::new();
    for (b, batch) in batches.enumerate() {
        let chunks = batch.len().div_ceil(CHUNK);
        buffers.resize_with(chunks.max(buffers.len()), Vec::new);
        let buffers = &mut buffers[..chunks];
        batch
            .par_chunks(CHUNK)
            .zip(buffers.par_iter_mut())
            .try_for_each(|(chunk, buffer)| {
                buffer.clear();
                text(chunk, buffer)
            })?;
        let end = chunks - 1;
        for (i, chunk) in buffers.iter().enumerate() {
            match b == last && i == end {
                // No comma after the last item.
                true => out.write_all(&chunk[..chunk.len() - 1])?,
                false => out.write_all(chunk)?,
            }
        }
    }
    out.write_all(b"\n")?;
    out.write_all("  ".repeat(depth).as_bytes())?;
    out.write_all(b"]")
}
