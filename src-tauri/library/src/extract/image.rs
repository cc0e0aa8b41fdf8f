//! Images (PNG, JPEG, WebP, GIF): dimensions from the header, and the metadata a photo or a
//! diagram carries: the XMP packet (title, creators, licence) and EXIF (artist, copyright,
//! description, date taken).
//!
//! Pixels are never decoded here, so an image declaring 60000 × 60000 pixels costs a header read;
//! it gets a warning, since whatever makes previews must not decode it either. The XMP and EXIF
//! blocks are found by walking the format's chunks or segments with seeks, reading only those
//! blocks, each at most [`MAX_EMBEDDED_BYTES`].

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use exif::{In, Tag};

use super::{Extracted, Problem, fill, xmp};
use crate::metadata::{Field, Metadata, clean};

/// Above this many pixels an image is not decoded, here or for previews: at four bytes a pixel,
/// 100 million pixels already take 400 MB.
pub(super) const MAX_DECODED_PIXELS: u64 = 100_000_000;

/// XMP packets and EXIF blocks are kilobytes; a megabyte is generous.
const MAX_EMBEDDED_BYTES: u64 = 1024 * 1024;

/// The namespace header before the XMP packet in a JPEG APP1 segment.
const JPEG_XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";

pub(super) fn extract(path: &Path) -> Result<Extracted, Problem> {
    let (width, height) = dimensions(path)?;
    let mut extracted = Extracted::default();
    if (width as u64).saturating_mul(height as u64) > MAX_DECODED_PIXELS {
        extracted.warn(Problem::ImageTooLarge { width, height });
    }
    let mut reader = BufReader::new(File::open(path)?);
    let mut embedded = Embedded::default();
    match find_embedded(&mut reader, &mut embedded) {
        Ok(()) => {}
        // A file cut short still has whatever blocks came before the cut.
        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => {}
        Err(error) => extracted.warn(Problem::Io(error)),
    }
    for part in embedded.too_large {
        extracted.warn(Problem::ImagePartTooLarge { part, limit: MAX_EMBEDDED_BYTES });
    }
    if let Some(packet) = embedded.xmp
        && let Err(source) = xmp::read(&packet, &mut extracted.metadata)
    {
        extracted.warn(Problem::Xml { part: "the image's XMP metadata".to_owned(), source });
    }
    if let Some(tiff) = embedded.exif {
        match exif::Reader::new().read_raw(tiff) {
            Ok(exif) => read_exif(&exif, &mut extracted.metadata),
            Err(error) => extracted.warn(Problem::Exif(error)),
        }
    }
    Ok(extracted)
}

/// Width and height from the header alone.
pub(super) fn dimensions(path: &Path) -> Result<(usize, usize), Problem> {
    let size = imagesize::size(path).map_err(Problem::ImageHeader)?;
    Ok((size.width, size.height))
}

#[derive(Debug, Default)]
struct Embedded {
    xmp: Option<Vec<u8>>,
    /// A TIFF structure, as EXIF is stored in every one of these formats.
    exif: Option<Vec<u8>>,
    /// Blocks that were found but not read because they are over [`MAX_EMBEDDED_BYTES`].
    too_large: Vec<&'static str>,
}

impl Embedded {
    fn is_complete(&self) -> bool {
        self.xmp.is_some() && self.exif.is_some()
    }

    /// Reads a block of `length` bytes, or skips it and notes it when it is too large.
    fn read_block<R: BufRead + Seek>(
        &mut self,
        reader: &mut R,
        length: u64,
        part: &'static str,
    ) -> io::Result<Option<Vec<u8>>> {
        if length > MAX_EMBEDDED_BYTES {
            self.too_large.push(part);
            skip(reader, length)?;
            return Ok(None);
        }
        let mut block = Vec::new();
        reader.by_ref().take(length).read_to_end(&mut block)?;
        if (block.len() as u64) < length {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        Ok(Some(block))
    }
}

/// Walks the file's structure, chosen by its first bytes (a `.png` may well hold a JPEG).
fn find_embedded<R: BufRead + Seek>(reader: &mut R, found: &mut Embedded) -> io::Result<()> {
    let mut signature = [0u8; 12];
    reader.read_exact(&mut signature)?;
    if signature.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(reader, found)
    } else if signature.starts_with(b"\xFF\xD8") {
        jpeg(reader, found)
    } else if signature.starts_with(b"RIFF") && &signature[8..12] == b"WEBP" {
        webp(reader, found)
    } else if signature.starts_with(b"GIF8") {
        gif(reader, found)
    } else {
        Ok(())
    }
}

fn skip<R: Seek>(reader: &mut R, length: u64) -> io::Result<()> {
    let length = i64::try_from(length).map_err(|_| io::Error::from(io::ErrorKind::InvalidData))?;
    reader.seek(SeekFrom::Current(length)).map(|_| ())
}

fn read_u8<R: Read>(reader: &mut R) -> io::Result<u8> {
    let mut byte = [0u8; 1];
    reader.read_exact(&mut byte)?;
    Ok(byte[0])
}

/// PNG chunks: XMP in an `iTXt` chunk with the keyword `XML:com.adobe.xmp`, EXIF in `eXIf`.
fn png<R: BufRead + Seek>(reader: &mut R, found: &mut Embedded) -> io::Result<()> {
    reader.seek(SeekFrom::Start(8))?;
    while !found.is_complete() {
        let mut header = [0u8; 8];
        reader.read_exact(&mut header)?;
        let length = u64::from(u32::from_be_bytes([header[0], header[1], header[2], header[3]]));
        match &header[4..8] {
            b"IEND" => break,
            b"iTXt" if found.xmp.is_none() => {
                if let Some(chunk) = found.read_block(reader, length, "XMP metadata")? {
                    found.xmp = itxt_xmp(&chunk);
                }
            }
            b"eXIf" if found.exif.is_none() => found.exif = found.read_block(reader, length, "EXIF data")?,
            _ => skip(reader, length)?,
        }
        skip(reader, 4)?; // The chunk's CRC.
    }
    Ok(())
}

/// The text of an uncompressed `iTXt` chunk holding XMP: keyword, NUL, compression flag and
/// method, language tag, NUL, translated keyword, NUL, text.
fn itxt_xmp(chunk: &[u8]) -> Option<Vec<u8>> {
    let rest = chunk.strip_prefix(b"XML:com.adobe.xmp\0")?;
    let (&[compressed, _method], rest) = rest.split_first_chunk::<2>()?;
    if compressed != 0 {
        return None;
    }
    let mut parts = rest.splitn(3, |&byte| byte == 0);
    let (_language, _translated, text) = (parts.next()?, parts.next()?, parts.next()?);
    Some(text.to_vec())
}

/// JPEG segments up to the image data: XMP and EXIF are both in APP1 segments, told apart by
/// their headers.
fn jpeg<R: BufRead + Seek>(reader: &mut R, found: &mut Embedded) -> io::Result<()> {
    reader.seek(SeekFrom::Start(2))?;
    while !found.is_complete() {
        if read_u8(reader)? != 0xFF {
            break;
        }
        let mut marker = read_u8(reader)?;
        while marker == 0xFF {
            marker = read_u8(reader)?;
        }
        match marker {
            // Markers without a length.
            0x01 | 0xD0..=0xD8 => continue,
            // End of image, or start of the scan: metadata segments all come before it.
            0xD9 | 0xDA => break,
            _ => {}
        }
        let length = u64::from(u16::from_be_bytes([read_u8(reader)?, read_u8(reader)?]));
        let Some(length) = length.checked_sub(2) else { break };
        if marker != 0xE1 {
            skip(reader, length)?;
            continue;
        }
        let Some(segment) = found.read_block(reader, length, "APP1 segment")? else { continue };
        if let Some(tiff) = segment.strip_prefix(b"Exif\0\0") {
            found.exif.get_or_insert_with(|| tiff.to_vec());
        } else if let Some(packet) = segment.strip_prefix(JPEG_XMP) {
            found.xmp.get_or_insert_with(|| packet.to_vec());
        }
    }
    Ok(())
}

/// WebP's RIFF chunks `XMP ` and `EXIF`, which writers put after the image data.
fn webp<R: BufRead + Seek>(reader: &mut R, found: &mut Embedded) -> io::Result<()> {
    reader.seek(SeekFrom::Start(12))?;
    while !found.is_complete() {
        let mut header = [0u8; 8];
        reader.read_exact(&mut header)?;
        let length = u64::from(u32::from_le_bytes([header[4], header[5], header[6], header[7]]));
        match &header[..4] {
            b"XMP " => found.xmp = found.read_block(reader, length, "XMP metadata")?,
            b"EXIF" => {
                // Some writers keep the JPEG-style header in front of the TIFF structure.
                let chunk = found.read_block(reader, length, "EXIF data")?;
                found.exif = chunk.map(|chunk| match chunk.strip_prefix(b"Exif\0\0") {
                    Some(tiff) => tiff.to_vec(),
                    None => chunk,
                });
            }
            _ => skip(reader, length)?,
        }
        skip(reader, length % 2)?; // Chunks are padded to an even length.
    }
    Ok(())
}

/// GIF blocks: XMP is an application extension `XMP DataXMP` whose data is the raw packet
/// followed by a "magic trailer" that lets block-walking readers skip it. GIF has no EXIF.
fn gif<R: BufRead + Seek>(reader: &mut R, found: &mut Embedded) -> io::Result<()> {
    reader.seek(SeekFrom::Start(6))?;
    let mut screen = [0u8; 7];
    reader.read_exact(&mut screen)?;
    skip_colour_table(reader, screen[4])?;
    loop {
        match read_u8(reader)? {
            // An extension: a label, then data sub-blocks.
            0x21 => {
                if read_u8(reader)? == 0xFF {
                    let size = read_u8(reader)?;
                    let mut application = vec![0u8; usize::from(size)];
                    reader.read_exact(&mut application)?;
                    if application == b"XMP DataXMP" {
                        let mut packet = Vec::new();
                        reader.by_ref().take(MAX_EMBEDDED_BYTES).read_to_end(&mut packet)?;
                        let end = b"</x:xmpmeta>";
                        if let Some(position) = packet.windows(end.len()).position(|window| window == end) {
                            packet.truncate(position + end.len());
                            found.xmp = Some(packet);
                        }
                        return Ok(());
                    }
                }
                skip_sub_blocks(reader)?;
            }
            // An image: its descriptor, local colour table, LZW code size, then data sub-blocks.
            0x2C => {
                let mut descriptor = [0u8; 9];
                reader.read_exact(&mut descriptor)?;
                skip_colour_table(reader, descriptor[8])?;
                read_u8(reader)?;
                skip_sub_blocks(reader)?;
            }
            // The trailer, or something that is not GIF.
            _ => return Ok(()),
        }
    }
}

fn skip_colour_table<R: Seek>(reader: &mut R, packed: u8) -> io::Result<()> {
    if packed & 0x80 != 0 {
        skip(reader, 3 * (1u64 << ((packed & 0x07) + 1)))?;
    }
    Ok(())
}

fn skip_sub_blocks<R: Read + Seek>(reader: &mut R) -> io::Result<()> {
    loop {
        let size = read_u8(reader)?;
        if size == 0 {
            return Ok(());
        }
        skip(reader, u64::from(size))?;
    }
}

/// Cameras fill the description with their own name; that describes nothing.
const CAMERA_DESCRIPTIONS: &[&str] =
    &["OLYMPUS DIGITAL CAMERA", "SONY DSC", "DIGITAL CAMERA", "KONICA MINOLTA DIGITAL CAMERA", "DCIM"];

fn read_exif(exif: &exif::Exif, metadata: &mut Metadata) {
    let text = |tag: Tag| -> String {
        let Some(field) = exif.get_field(tag, In::PRIMARY) else { return String::new() };
        match &field.value {
            // ASCII by the standard; UTF-8 in practice, and replaced where it is neither.
            exif::Value::Ascii(strings) => strings
                .iter()
                .map(|string| clean(&String::from_utf8_lossy(string)))
                .find(|string| !string.is_empty())
                .unwrap_or_default(),
            _ => String::new(),
        }
    };
    fill(metadata, Field::Creators, &text(Tag::Artist));
    fill(metadata, Field::Licence, &text(Tag::Copyright));
    let description = text(Tag::ImageDescription);
    if !CAMERA_DESCRIPTIONS.contains(&description.as_str()) {
        fill(metadata, Field::Description, &description);
    }
    fill(metadata, Field::DateCreated, &exif_date(&text(Tag::DateTimeOriginal)));
}

/// EXIF's `2021:03:04 05:06:07` as ISO 8601; anything else as found.
fn exif_date(date: &str) -> String {
    // Cameras whose clock was never set write the shape with blanks or zeros.
    if !date.bytes().any(|byte| matches!(byte, b'1'..=b'9')) {
        return String::new();
    }
    let bytes = date.as_bytes();
    let shaped = bytes.len() == 19
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b':',
            10 => *byte == b' ',
            13 | 16 => *byte == b':',
            _ => byte.is_ascii_digit(),
        });
    if !shaped {
        return date.to_owned();
    }
    format!("{}-{}-{}T{}", &date[0..4], &date[5..7], &date[8..10], &date[11..19])
}

#[cfg(test)]
pub(super) mod tests {
    use exif::experimental::Writer;
    use exif::{Field as ExifField, Value};

    use super::super::fixtures::extract_file;
    use super::super::xmp;
    use super::*;

    /// A PNG header declaring `width` × `height`, with extra chunks and no pixel data worth the
    /// name: enough for every reader that does not decode.
    pub(in super::super) fn png_bytes(width: u32, height: u32, chunks: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut header = Vec::new();
        header.extend(width.to_be_bytes());
        header.extend(height.to_be_bytes());
        header.extend([8, 6, 0, 0, 0]);
        let mut chunk = |kind: &[u8; 4], data: &[u8]| {
            bytes.extend(u32::try_from(data.len()).unwrap().to_be_bytes());
            bytes.extend(kind);
            bytes.extend(data);
            // The CRC is not checked by anything here.
            bytes.extend([0, 0, 0, 0]);
        };
        chunk(b"IHDR", &header);
        for (kind, data) in chunks {
            chunk(kind, data);
        }
        chunk(b"IEND", &[]);
        bytes
    }

    fn tiff(fields: &[(Tag, &str)]) -> Vec<u8> {
        let fields = fields
            .iter()
            .map(|(tag, text)| ExifField {
                tag: *tag,
                ifd_num: In::PRIMARY,
                value: Value::Ascii(vec![text.as_bytes().to_vec()]),
            })
            .collect::<Vec<_>>();
        let mut writer = Writer::new();
        for field in &fields {
            writer.push_field(field);
        }
        let mut bytes = io::Cursor::new(Vec::new());
        writer.write(&mut bytes, false).unwrap();
        bytes.into_inner()
    }

    fn jpeg_bytes(segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8];
        for (marker, data) in segments {
            bytes.extend([0xFF, *marker]);
            bytes.extend(u16::try_from(data.len() + 2).unwrap().to_be_bytes());
            bytes.extend(data);
        }
        // A baseline frame header: 8 bits, 480 × 640, one component.
        bytes.extend([0xFF, 0xC0, 0, 11, 8, 0x01, 0xE0, 0x02, 0x80, 1, 1, 0x11, 0]);
        bytes.extend([0xFF, 0xDA, 0, 2, 0xFF, 0xD9]);
        bytes
    }

    #[test]
    fn png_xmp_is_read_without_decoding() {
        let mut itxt = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
        itxt.extend(xmp::tests::PACKET.as_bytes());
        let extracted =
            extract_file("leaf.png", &png_bytes(640, 480, &[(b"tEXt", b"Comment\0hi"), (b"iTXt", &itxt)]));
        let metadata = &extracted.metadata;
        assert_eq!(metadata.title, "Photosynthesis");
        assert_eq!(metadata.creators, ["Ana Souza", "Ben Okafor"]);
        assert_eq!(metadata.licence, "https://creativecommons.org/licenses/by/4.0/");
        assert!(extracted.warnings.is_empty(), "{:?}", extracted.warnings);
    }

    #[test]
    fn jpeg_exif_and_xmp_are_read() {
        let mut exif = b"Exif\0\0".to_vec();
        exif.extend(tiff(&[
            (Tag::Artist, "Kofi Mensah"),
            (Tag::Copyright, "CC BY-SA 4.0"),
            (Tag::ImageDescription, "OLYMPUS DIGITAL CAMERA"),
            (Tag::DateTimeOriginal, "2019:08:07 06:05:04"),
        ]));
        let packet = xmp::tests::PACKET
            .replace("<dc:creator><rdf:Seq><rdf:li>Ana Souza</rdf:li><rdf:li>Ben Okafor</rdf:li></rdf:Seq></dc:creator>", "")
            .replace(r#"<cc:license rdf:resource="https://creativecommons.org/licenses/by/4.0/"/>"#, "")
            .replace(r#"xmpRights:WebStatement="https://creativecommons.org/licenses/by-sa/4.0/""#, "")
            .replace("<dc:rights><rdf:Alt><rdf:li xml:lang=\"x-default\">© 2021 Ana Souza</rdf:li></rdf:Alt></dc:rights>", "")
            .replace(r#"xmp:CreateDate="2021-03-04T05:06:07Z""#, "");
        let mut app1 = JPEG_XMP.to_vec();
        app1.extend(packet.as_bytes());
        let jpeg =
            jpeg_bytes(&[(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0".to_vec()), (0xE1, exif), (0xE1, app1)]);
        assert_eq!(dimensions_of(&jpeg), (640, 480));
        let extracted = extract_file("rocks.jpg", &jpeg);
        let metadata = &extracted.metadata;
        assert_eq!(metadata.title, "Photosynthesis");
        assert_eq!(metadata.creators, ["Kofi Mensah"]);
        assert_eq!(metadata.licence, "CC BY-SA 4.0");
        assert_eq!(metadata.description, "");
        assert_eq!(metadata.date_created, "2019-08-07T06:05:04");
        assert!(extracted.warnings.is_empty(), "{:?}", extracted.warnings);
    }

    #[test]
    fn webp_and_gif_xmp_are_found_after_the_image_data() {
        let packet = xmp::tests::PACKET.as_bytes();
        let mut webp = b"RIFF\0\0\0\0WEBP".to_vec();
        // A lossless bitstream header for a 3 × 2 image: signature, then 14-bit width and height - 1.
        let vp8l = [0x2F, 0x02, 0x40, 0x00, 0x00];
        for (kind, data) in [(b"VP8L", &vp8l[..]), (b"XMP ", packet)] {
            webp.extend(kind);
            webp.extend(u32::try_from(data.len()).unwrap().to_le_bytes());
            webp.extend(data);
            if data.len() % 2 == 1 {
                webp.push(0);
            }
        }
        assert_eq!(dimensions_of(&webp), (3, 2));
        assert_eq!(extract_file("leaf.webp", &webp).metadata.title, "Photosynthesis");

        let mut gif = b"GIF89a\x02\x00\x01\x00\x80\x00\x00".to_vec();
        gif.extend([0; 6]); // The two-colour global table.
        gif.extend(b",\0\0\0\0\x02\0\x01\0\0\x02\x02\x44\x01\0"); // One image.
        gif.extend(b"!\xFF\x0BXMP DataXMP");
        gif.extend(packet);
        gif.push(1); // The magic trailer, then the end of the sub-blocks.
        gif.extend((0..=255u8).rev());
        gif.push(0);
        gif.push(b';');
        assert_eq!(dimensions_of(&gif), (2, 1));
        let extracted = extract_file("leaf.gif", &gif);
        assert_eq!(extracted.metadata.creators, ["Ana Souza", "Ben Okafor"]);
        assert!(extracted.warnings.is_empty(), "{:?}", extracted.warnings);
    }

    fn dimensions_of(bytes: &[u8]) -> (usize, usize) {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("image");
        std::fs::write(&path, bytes).unwrap();
        dimensions(&path).unwrap()
    }

    #[test]
    fn exif_dates_become_iso_dates() {
        assert_eq!(exif_date("2021:03:04 05:06:07"), "2021-03-04T05:06:07");
        assert_eq!(exif_date("    :  :     :  :  "), "");
        assert_eq!(exif_date("0000:00:00 00:00:00"), "");
        assert_eq!(exif_date("2021"), "2021");
    }
}
