//! Thumbnails: small PNG previews of images, made on demand off the UI thread and cached in
//! `thumbs/` by content hash, so a resource's revisions that share content share a thumbnail and
//! the folder can be deleted at any time (it is rebuilt as needed).
//!
//! Images are untrusted: the decoder runs with limits on dimensions and memory, and an image that
//! declares more than [`MAX_PIXELS`] is never decoded. A PDF's first page is drawn in a helper
//! process with capped memory and time (see `pdfpage`); DOCX, PPTX, ODT and ODP files show the
//! preview picture saved inside them. Other formats, and files without such a picture, get
//! `None`, and the UI shows a typed icon instead.

use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use commonplace_history::Side;
use image::{ImageFormat, ImageReader, Limits};

use crate::error::{Error, IoContext, Result};
use crate::library::Library;
use crate::store::ObjectId;
use crate::{fsutil, layout};

/// The longest side of a thumbnail, in pixels: sharp on a high-density screen at list size.
pub const THUMBNAIL_SIZE: u32 = 256;
/// Images declaring more pixels than this are never decoded.
pub const MAX_PIXELS: u64 = 100_000_000;
/// The most memory the decoder may allocate for one image.
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

impl Library {
    /// The PNG thumbnail of a resource's current content, made now if it is not cached yet;
    /// `None` when its type has no thumbnail.
    pub fn thumbnail(&self, id: &str) -> Result<Option<Vec<u8>>> {
        let resource = self.resource(id)?;
        self.thumbnail_of(id, resource.object, &resource.media_type)
    }

    /// The thumbnail of one revision of a resource's history (`revision` may be a prefix), for
    /// showing what a binary change looked like before and after.
    pub fn revision_thumbnail(&self, id: &str, revision: &str) -> Result<Option<Vec<u8>>> {
        let (_, revision) = self.revision_of(id, revision)?;
        self.thumbnail_of(id, revision.object, &revision.media_type)
    }

    /// The thumbnail of one side of the unfinished merge into `id`, for choosing between versions
    /// that cannot be merged line by line.
    pub fn merge_thumbnail(&self, id: &str, side: Side) -> Result<Option<Vec<u8>>> {
        let state = self.merge_state(id)?.ok_or_else(|| Error::NoMergeInProgress { id: id.to_owned() })?;
        let revision = self.load_revision(match side {
            Side::Base => &state.base,
            Side::Ours => &state.ours,
            Side::Theirs => &state.theirs,
        })?;
        self.thumbnail_of(id, revision.object, &revision.media_type)
    }

    /// The thumbnail of content `object` of type `media_type`, of resource `id` (named in errors).
    fn thumbnail_of(&self, id: &str, object: ObjectId, media_type: &str) -> Result<Option<Vec<u8>>> {
        let kind = match media_type {
            "image/png" | "image/jpeg" | "image/gif" | "image/webp" => Kind::Image,
            "application/epub+zip" => Kind::Book,
            "application/pdf" => Kind::Pdf,
            office if crate::extract::may_embed_preview(office) => Kind::Office,
            _ => return Ok(None),
        };
        let path = self.thumbnail_path(object);
        if let Ok(cached) = fs::read(&path) {
            return Ok(Some(cached));
        }
        let source = self.store.path(object);
        let rendered = match kind {
            Kind::Image => render(&source),
            Kind::Book => {
                // A book without a cover, or with an unreadable one, shows its typed icon.
                let Some(cover) = crate::extract::epub::cover(&source) else { return Ok(None) };
                render_bytes(&cover)
            }
            Kind::Office => {
                // So does a document saved without a preview picture, or with one in a format
                // this decoder does not read (Office also saves WMF and EMF).
                let Some(picture) = crate::extract::embedded_preview(&source, media_type) else {
                    return Ok(None);
                };
                match render_bytes(&picture) {
                    Ok(png) => Ok(png),
                    Err(_) => return Ok(None),
                }
            }
            // A PDF whose first page cannot be drawn (or a program with no helper to draw it)
            // shows its typed icon, like a book without a cover.
            Kind::Pdf => match crate::pdfpage::thumbnail(&source) {
                Ok(Some(png)) => Ok(png),
                Ok(None) => return Ok(None),
                Err(reason) => {
                    tracing::warn!(resource = id, %reason, "the first page of a PDF could not be drawn");
                    return Ok(None);
                }
            },
        };
        let png = rendered.map_err(|reason| Error::Thumbnail { id: id.to_owned(), reason })?;
        let folder = self.root().join(layout::THUMBS);
        fs::create_dir_all(&folder).at("create", &folder)?;
        fsutil::write_atomic(&self.root().join(layout::TMP), &path, &png)?;
        Ok(Some(png))
    }

    fn thumbnail_path(&self, object: ObjectId) -> PathBuf {
        self.root().join(layout::THUMBS).join(format!("{object}-{THUMBNAIL_SIZE}.png"))
    }
}

/// What a thumbnail is made from.
enum Kind {
    Image,
    /// An EPUB's cover.
    Book,
    /// A PDF's first page, drawn in a helper process (see `pdfpage`).
    Pdf,
    /// The preview picture a word-processing document or a presentation carries.
    Office,
}

/// Like [`render`], for an image held in memory (a book's cover, read with a size limit).
fn render_bytes(bytes: &[u8]) -> std::result::Result<Vec<u8>, String> {
    render_with(|| ImageReader::new(Cursor::new(bytes)).with_guessed_format(), THUMBNAIL_SIZE)
}

/// The longest side of an image previewed in a conversation.
pub const PREVIEW_IMAGE_SIZE: u32 = 640;

/// A PNG preview of untrusted image bytes (for example an image someone sent in a conversation),
/// made with the same limits as thumbnails, so the window never decodes the original itself: an
/// image bomb or a malformed file stops here, and SVG (which could carry script) is never read.
pub fn preview_image(bytes: &[u8]) -> std::result::Result<Vec<u8>, String> {
    render_with(|| ImageReader::new(Cursor::new(bytes)).with_guessed_format(), PREVIEW_IMAGE_SIZE)
}

/// Decodes the image at `source` within the limits and encodes a thumbnail as PNG.
fn render(source: &Path) -> std::result::Result<Vec<u8>, String> {
    render_with(|| ImageReader::open(source).and_then(ImageReader::with_guessed_format), THUMBNAIL_SIZE)
}

/// The header is read first, on its own, so an image that declares absurd dimensions is refused
/// before any pixel memory is allocated; then the image is decoded within limits.
fn render_with<R: std::io::BufRead + std::io::Seek>(
    open: impl Fn() -> std::io::Result<ImageReader<R>>,
    size: u32,
) -> std::result::Result<Vec<u8>, String> {
    let open = || open().map_err(|error| format!("it cannot be read ({error})"));
    let (width, height) =
        open()?.into_dimensions().map_err(|error| format!("it is not a readable image ({error})"))?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!("the image declares {width} × {height} pixels, too many to decode safely"));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = open()?;
    reader.limits(limits);
    let image = reader.decode().map_err(|error| format!("the image could not be decoded ({error})"))?;
    let thumbnail =
        if image.width() > size || image.height() > size { image.thumbnail(size, size) } else { image };
    let mut png = Vec::new();
    thumbnail.write_to(&mut Cursor::new(&mut png), ImageFormat::Png).map_err(|error| error.to_string())?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut bytes = Vec::new();
        image.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png).unwrap();
        bytes
    }

    #[test]
    fn thumbnails_keep_the_aspect_ratio_within_the_size() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("wide.png");
        fs::write(&path, png(1024, 512)).unwrap();
        let thumbnail = image::load_from_memory(&render(&path).unwrap()).unwrap();
        assert_eq!((thumbnail.width(), thumbnail.height()), (256, 128));
    }

    #[test]
    fn an_image_declaring_too_many_pixels_is_never_decoded() {
        // A PNG header declaring 60000 × 60000 pixels, followed by no real image data.
        let mut bytes = png(1, 1);
        bytes[16..20].copy_from_slice(&60000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&60000u32.to_be_bytes());
        // Keep the header's checksum valid, so the size itself is what gets refused.
        let mut crc = flate2::Crc::new();
        crc.update(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.sum().to_be_bytes());
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("huge.png");
        fs::write(&path, bytes).unwrap();
        let error = render(&path).unwrap_err();
        assert!(error.contains("60000 × 60000"), "{error}");
    }

    #[test]
    fn previews_of_received_images_are_bounded_and_never_read_svg() {
        let preview = image::load_from_memory(&preview_image(&png(1600, 800)).unwrap()).unwrap();
        assert_eq!((preview.width(), preview.height()), (640, 320));
        let small = image::load_from_memory(&preview_image(&png(40, 30)).unwrap()).unwrap();
        assert_eq!((small.width(), small.height()), (40, 30), "small images are not blown up");
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
        assert!(preview_image(svg).is_err());
    }

    #[test]
    fn a_corrupt_image_is_an_error_not_a_panic() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("broken.jpg");
        fs::write(&path, b"\xFF\xD8\xFF\xE0 not really a jpeg").unwrap();
        assert!(render(&path).is_err());
    }
}
