//! Turning uploaded bytes into sheets of cells, safely. The format is taken from the bytes,
//! not the file name; ZIP containers are checked (entry count, declared and real uncompressed
//! sizes) before calamine opens them, and every sheet is read cell by cell against the row,
//! column and cell limits, so a hostile file costs bounded time and memory. An xlsx sheet is
//! never whole in memory: its first rows tell what it holds, its rows then come in chunks.

use std::io::{Cursor, Read};

use calamine::{DataRef, Ods, Reader, Xlsx};

use super::Limits;
use super::cell::{Cell, Epoch, unguard_csv_text};
use super::header::HEADER_SEARCH_ROWS as HEAD_ROWS;
use crate::api::imports::Msg;

/// The first rows of a sheet, as far as its header row may be (see `header::detect`), and
/// whether filled cells follow below them.
#[derive(Debug, Clone)]
pub struct SheetHead {
    pub name: String,
    /// Row `i` is the spreadsheet's row `i + 1`; trailing empty cells are not stored.
    pub rows: Vec<Vec<Cell>>,
    pub more: bool,
    /// How many rows the sheet holds (CSV and ODS, read whole) or says it holds (an xlsx
    /// sheet's `<dimension>`, which writers may leave out or get wrong). Only the progress
    /// bar uses it; the limits count the rows that really come.
    pub rows_claimed: Option<usize>,
}

/// Consecutive rows of a sheet: `rows[i]` is the spreadsheet's row `first + i + 1`.
#[derive(Debug, Clone, Default)]
pub struct Chunk {
    pub first: usize,
    pub rows: Vec<Vec<Cell>>,
}

/// Rows are handed on in chunks of about this many, so a large sheet is never whole in memory
/// and planning and writing can start while the rest of it is still being read. Chunks of
/// 512 rather than 2,048 rows took 2 MiB off the import benchmark's peak memory (with
/// `READ_AHEAD` and `BATCH_OPS`), at the same speed.
pub const CHUNK_ROWS: usize = 512;

/// A spreadsheet opened for reading sheet by sheet: the heads of all sheets are known, the
/// rows of each sheet come in chunks from [`Book::stream`].
pub struct Book<'b> {
    pub epoch: Epoch,
    pub sheets: Vec<SheetHead>,
    source: Source<'b>,
    limits: Limits,
    /// Cells held so far (each row up to its last filled cell), against `Limits::max_cells`.
    cells_total: usize,
}

enum Source<'b> {
    /// CSV and ODS: read whole when opened (calamine reads an ODS sheet only as a whole).
    Held(Vec<Vec<Vec<Cell>>>),
    /// xlsx: each sheet's XML is read when it is streamed.
    Xlsx(Box<Xlsx<Cursor<&'b [u8]>>>),
}

impl Book<'_> {
    /// Reads sheet `index` from its first row and hands each chunk to `each`, in row order,
    /// enforcing the limits. A sheet is meant to be streamed once: a held sheet gives its
    /// rows away.
    pub fn stream(&mut self, index: usize, mut each: impl FnMut(Chunk)) -> Result<(), ReadError> {
        let name = self.sheets.get(index).map(|s| s.name.clone()).unwrap_or_default();
        match &mut self.source {
            Source::Held(sheets) => {
                // In chunks as from an xlsx sheet, so that planning and writing overlap and
                // the progress bar moves.
                let mut rows = sheets.get_mut(index).map(std::mem::take).unwrap_or_default().into_iter();
                let mut first = 0;
                loop {
                    let chunk: Vec<Vec<Cell>> = rows.by_ref().take(CHUNK_ROWS).collect();
                    let taken = chunk.len();
                    each(Chunk { first, rows: chunk });
                    first += taken;
                    if rows.len() == 0 {
                        return Ok(());
                    }
                }
            }
            Source::Xlsx(workbook) => {
                let mut reader = workbook.worksheet_cells_reader(&name).map_err(calamine_error)?;
                let mut sink = SheetSink::new(&name, &self.limits);
                while let Some(cell) = reader.next_cell().map_err(calamine_error)? {
                    let (row, column) = cell.get_position();
                    let row = row as usize;
                    if row >= sink.first + CHUNK_ROWS {
                        each(sink.hand_on(row));
                    }
                    sink.put(row, column as usize, from_data_ref(cell.get_value()), &mut self.cells_total)?;
                }
                each(sink.hand_on(0));
                Ok(())
            }
        }
    }
}

/// Opens any supported file. `file_name` only serves the error message when the content
/// does not match its extension.
pub fn open<'b>(file_name: &str, bytes: &'b [u8], limits: &Limits) -> Result<Book<'b>, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ReadError::TooLarge { size: bytes.len() as u64, limit: limits.max_file_bytes });
    }
    let extension = file_name.rsplit_once('.').map(|(_, ext)| ext.to_lowercase()).unwrap_or_default();
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(EMPTY_ZIP_MAGIC) {
        return open_zip(bytes, limits, &extension);
    }
    if bytes.starts_with(CFB_MAGIC) {
        // An OLE compound file is either an encrypted OOXML workbook (Excel stores the
        // password-protected .xlsx in this envelope) or an old binary .xls.
        let marker: Vec<u8> = "EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes).collect();
        if bytes.windows(marker.len()).any(|w| w == marker.as_slice()) {
            return Err(ReadError::Encrypted);
        }
        return Err(ReadError::LegacyXls);
    }
    // Many administrative systems export text with tabs or semicolons under the name .xls, and
    // Excel opens it; so does Leitstand. An HTML page named .xls is not a table we read.
    let html_named_xls =
        extension == "xls" && bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes).trim_ascii_start().starts_with(b"<");
    if matches!(extension.as_str(), "xlsx" | "xlsm" | "ods") || html_named_xls || looks_binary(bytes) {
        let named = looks_binary(bytes) || html_named_xls;
        return Err(ReadError::NotASpreadsheet(if named { extension } else { String::new() }));
    }
    let (name, rows) = read_csv(file_name, bytes, limits)?;
    Ok(held(Epoch::Excel1900, vec![(name, rows)], limits))
}

/// A sheet read whole: its name and rows.
type NamedRows = (String, Vec<Vec<Cell>>);

/// A book of sheets read whole.
fn held<'b>(epoch: Epoch, sheets: Vec<NamedRows>, limits: &Limits) -> Book<'b> {
    let heads = sheets
        .iter()
        .map(|(name, rows)| SheetHead {
            name: name.clone(),
            rows: rows.iter().take(HEAD_ROWS).cloned().collect(),
            more: rows.iter().skip(HEAD_ROWS).any(|r| r.iter().any(|c| !c.is_blank())),
            rows_claimed: Some(rows.len()),
        })
        .collect();
    let rows = sheets.into_iter().map(|(_, rows)| rows).collect();
    Book { epoch, sheets: heads, source: Source::Held(rows), limits: limits.clone(), cells_total: 0 }
}

/// Why a file could not be read at all. Every message is a German sentence that says what is
/// wrong and, for limits, which limit and how to change it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("Die Datei ist leer (0 Byte).")]
    Empty,
    #[error("Die Datei lässt sich nicht öffnen: {0}.")]
    NotReadable(String),
    #[error(
        "Die Datei ist mit {} Byte größer als die erlaubte Größe von {} Byte (Grenze LEITSTAND_IMPORT_MAX_BYTES).",
        de(.size), de(.limit)
    )]
    TooLarge { size: u64, limit: u64 },
    #[error(
        "Die Datei ist keine lesbare Tabelle. Erwartet wird eine Excel-Arbeitsmappe (.xlsx, .xlsm), eine OpenDocument-Tabelle (.ods) oder eine CSV-Datei{}.",
        if .0.is_empty() { String::new() } else { format!(" – der Dateiname endet auf »{}«, der Inhalt passt aber nicht dazu", .0) }
    )]
    NotASpreadsheet(String),
    #[error(
        "Das ZIP-Archiv der Arbeitsmappe ist beschädigt oder unvollständig (technische Angabe: {0}). Bitte speichern Sie die Datei neu und laden Sie sie erneut hoch."
    )]
    BrokenArchive(String),
    #[error(
        "Das Archiv enthält {} Einträge; erlaubt sind höchstens {} (Grenze LEITSTAND_IMPORT_MAX_ZIP_ENTRIES). Die Datei wird nicht geöffnet.",
        de(.count), de(.limit)
    )]
    TooManyEntries { count: usize, limit: usize },
    #[error(
        "Die Arbeitsmappe wäre entpackt größer als {} Byte (Grenze LEITSTAND_IMPORT_MAX_UNPACKED_BYTES); das deutet auf eine ZIP-Bombe oder eine übergroße Datei hin. Die Datei wird nicht geöffnet.",
        de(.limit)
    )]
    TooLargeUnpacked { limit: u64 },
    #[error(
        "Die Arbeitsmappe ist passwortgeschützt oder verschlüsselt. Bitte heben Sie den Kennwortschutz auf (Datei > Informationen > Arbeitsmappe schützen) und laden Sie die Datei erneut hoch."
    )]
    Encrypted,
    #[error(
        "Das alte Excel-Format .xls (Excel 97–2003) wird nicht gelesen. Bitte öffnen Sie die Datei in Excel oder LibreOffice und speichern Sie sie als .xlsx (Excel-Arbeitsmappe)."
    )]
    LegacyXls,
    #[error("Die Arbeitsmappe enthält keine Tabellenblätter.")]
    NoSheets,
    #[error(
        "Eine Zelle der Arbeitsmappe enthält den Excel-Fehlerwert {0}, den Leitstand nicht lesen kann (neuere Fehlerwerte wie #ÜBERLAUF! oder #CALC! aus Formeln von Excel 365). Bitte ersetzen Sie die Formel durch ihren Wert oder beheben Sie den Fehler und laden Sie die Datei erneut hoch."
    )]
    UnknownErrorValue(String),
    #[error(
        "Blatt »{sheet}« hat mehr als {} Zeilen (Grenze LEITSTAND_IMPORT_MAX_ROWS). Bitte teilen Sie die Daten auf mehrere Dateien auf.",
        de(.limit)
    )]
    TooManyRows { sheet: String, limit: usize },
    #[error(
        "Blatt »{sheet}« nutzt Spalte {column}; erlaubt sind {limit} Spalten (Grenze LEITSTAND_IMPORT_MAX_COLUMNS)."
    )]
    TooManyColumns { sheet: String, column: usize, limit: usize },
    #[error(
        "Blatt »{sheet}«: Zeile {row} steht in der Datei erst hinter Zeile {after}. Die Zeilen werden der Reihe nach gelesen; bitte öffnen Sie die Datei in Excel oder LibreOffice, speichern Sie sie neu und laden Sie sie erneut hoch."
    )]
    RowsOutOfOrder { sheet: String, row: usize, after: usize },
    #[error(
        "Die Datei enthält mehr als {} Zellen, gezählt bis zur letzten gefüllten Zelle jeder Zeile (Grenze LEITSTAND_IMPORT_MAX_CELLS). Bitte entfernen Sie nicht benötigte Spalten und Zeilen oder teilen Sie die Daten auf mehrere Dateien auf.",
        de(.limit)
    )]
    TooManyCells { limit: usize },
    #[error(
        "Das Lesen und Prüfen der Datei dauerte länger als {} (Grenze LEITSTAND_IMPORT_MAX_SECONDS) und wurde abgebrochen. Bitte teilen Sie sehr große Dateien auf mehrere Dateien auf. Ist die Datei klein, öffnen Sie sie bitte in Excel oder LibreOffice, speichern Sie sie neu und laden Sie sie erneut hoch.",
        fmt_seconds(.seconds, crate::domain::Lang::De)
    )]
    TooSlow { seconds: u64 },
    #[error(
        "Die Arbeitsmappe ist fehlerhaft und kann nicht gelesen werden (technische Angabe: {0}). Bitte öffnen Sie die Datei in Excel oder LibreOffice, speichern Sie sie neu und laden Sie sie erneut hoch."
    )]
    Unreadable(String),
}

/// A count in a message, with thousands separators: 20.971.520 (de) and 20,971,520 (en).
fn de<N: Copy + TryInto<i64>>(n: &N) -> String {
    crate::domain::fmt_int((*n).try_into().unwrap_or(i64::MAX), crate::domain::Lang::De)
}

fn en<N: Copy + TryInto<i64>>(n: &N) -> String {
    crate::domain::fmt_int((*n).try_into().unwrap_or(i64::MAX), crate::domain::Lang::En)
}

/// A number of seconds in words: "1 Sekunde", "120 Sekunden" (de); "1 second" (en).
fn fmt_seconds(n: &u64, lang: crate::domain::Lang) -> String {
    use crate::domain::Lang;
    let unit = match (lang, *n == 1) {
        (Lang::De, true) => "Sekunde",
        (Lang::De, false) => "Sekunden",
        (Lang::En, true) => "second",
        (Lang::En, false) => "seconds",
    };
    format!("{} {unit}", crate::domain::fmt_int((*n).try_into().unwrap_or(i64::MAX), lang))
}

impl ReadError {
    /// The message in both languages: the German is the `Display` text above.
    pub fn message(&self) -> Msg {
        Msg { de: self.to_string(), en: self.english() }
    }

    fn english(&self) -> String {
        match self {
            ReadError::Empty => "The file is empty (0 bytes).".to_string(),
            // The reason comes from the command line, which speaks German.
            ReadError::NotReadable(reason) => format!("The file cannot be opened: {reason}."),
            ReadError::TooLarge { size, limit } => format!(
                "At {} bytes the file is larger than the permitted size of {} bytes (limit LEITSTAND_IMPORT_MAX_BYTES).",
                en(size),
                en(limit)
            ),
            ReadError::NotASpreadsheet(extension) => format!(
                "The file is not a readable spreadsheet. Expected an Excel workbook (.xlsx, .xlsm), an OpenDocument spreadsheet (.ods) or a CSV file{}.",
                if extension.is_empty() {
                    String::new()
                } else {
                    format!(" – the file name ends in »{extension}«, but the content does not match")
                }
            ),
            ReadError::BrokenArchive(detail) => format!(
                "The workbook's ZIP archive is damaged or incomplete (technical detail: {detail}). Please save the file again and upload it once more."
            ),
            ReadError::TooManyEntries { count, limit } => format!(
                "The archive holds {} entries; at most {} are permitted (limit LEITSTAND_IMPORT_MAX_ZIP_ENTRIES). The file is not opened.",
                en(count),
                en(limit)
            ),
            ReadError::TooLargeUnpacked { limit } => format!(
                "Unpacked, the workbook would be larger than {} bytes (limit LEITSTAND_IMPORT_MAX_UNPACKED_BYTES); this points to a ZIP bomb or an oversized file. The file is not opened.",
                en(limit)
            ),
            ReadError::Encrypted => "The workbook is password-protected or encrypted. Please remove the password protection (File > Info > Protect Workbook) and upload the file again.".to_string(),
            ReadError::LegacyXls => "The old Excel format .xls (Excel 97–2003) is not read. Please open the file in Excel or LibreOffice and save it as .xlsx (Excel workbook).".to_string(),
            ReadError::NoSheets => "The workbook holds no worksheets.".to_string(),
            ReadError::UnknownErrorValue(code) => format!(
                "A cell of the workbook holds the Excel error value {code}, which Leitstand cannot read (newer error values such as #SPILL! or #CALC! from Excel 365 formulas). Please replace the formula with its value or correct the error and upload the file again."
            ),
            ReadError::TooManyRows { sheet, limit } => format!(
                "Sheet »{sheet}« has more than {} rows (limit LEITSTAND_IMPORT_MAX_ROWS). Please split the data into several files.",
                en(limit)
            ),
            ReadError::TooManyColumns { sheet, column, limit } => format!(
                "Sheet »{sheet}« uses column {column}; {limit} columns are permitted (limit LEITSTAND_IMPORT_MAX_COLUMNS)."
            ),
            ReadError::RowsOutOfOrder { sheet, row, after } => format!(
                "Sheet »{sheet}«: row {row} comes in the file only after row {after}. Rows are read in order; please open the file in Excel or LibreOffice, save it again and upload it once more."
            ),
            ReadError::TooManyCells { limit } => format!(
                "The file holds more than {} cells, counted up to the last filled cell of each row (limit LEITSTAND_IMPORT_MAX_CELLS). Please remove columns and rows that are not needed or split the data into several files.",
                en(limit)
            ),
            ReadError::TooSlow { seconds } => format!(
                "Reading and checking the file took longer than {} (limit LEITSTAND_IMPORT_MAX_SECONDS) and was stopped. Please split very large files into several files. If the file is small, please open it in Excel or LibreOffice, save it again and upload it once more.",
                fmt_seconds(seconds, crate::domain::Lang::En)
            ),
            ReadError::Unreadable(detail) => format!(
                "The workbook is faulty and cannot be read (technical detail: {detail}). Please open the file in Excel or LibreOffice, save it again and upload it once more."
            ),
        }
    }
}

/// A failure of calamine while reading cells. An Excel error value that it does not know
/// (the newer ones such as #SPILL!, which it reports as an error of the whole sheet) is named,
/// so the user can find and replace it; anything else is a faulty workbook.
fn calamine_error(error: impl std::fmt::Display) -> ReadError {
    let text = error.to_string();
    match text.strip_prefix("Unsupported cell error value '").and_then(|rest| rest.strip_suffix('\'')) {
        Some(code) => ReadError::UnknownErrorValue(code.to_string()),
        None => ReadError::Unreadable(text),
    }
}

/// Why a file could not be opened, in German (the system's own text is English).
pub fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "Es gibt keine Datei unter diesem Namen".to_string(),
        std::io::ErrorKind::PermissionDenied => "Es fehlt die Berechtigung, sie zu lesen".to_string(),
        std::io::ErrorKind::IsADirectory => "Der Name bezeichnet einen Ordner, keine Datei".to_string(),
        _ => format!("Systemmeldung »{error}«"),
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).any(|b| *b == 0)
}

/// Checks the archive before any XML parser sees it: the number of entries, the declared
/// uncompressed sizes, and the real ones (a bomb can lie in its headers, so each entry is
/// inflated once into a counting sink that stops at the limit).
/// What the ZIP check learnt on the way: the date system of an xlsx workbook and the
/// content of an ODS spreadsheet (checked separately, see `check_ods_grid`).
struct ZipFacts {
    epoch: Epoch,
    ods_content: Vec<u8>,
}

fn check_zip(bytes: &[u8], limits: &Limits) -> Result<ZipFacts, ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::BrokenArchive(e.to_string()))?;
    if archive.len() > limits.max_zip_entries {
        return Err(ReadError::TooManyEntries { count: archive.len(), limit: limits.max_zip_entries });
    }
    let mut declared: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(|e| ReadError::BrokenArchive(e.to_string()))?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > limits.max_unpacked_bytes {
        return Err(ReadError::TooLargeUnpacked { limit: limits.max_unpacked_bytes });
    }
    // An ODS saved with a password keeps its manifest readable and encrypts the rest, which
    // would read as a broken archive below; the manifest says so first.
    if let Ok(manifest) = archive.by_name("META-INF/manifest.xml") {
        // A real manifest has a few KiB; the marker is near the start of an encrypted one.
        const MANIFEST_READ: u64 = 1024 * 1024;
        let mut text = Vec::new();
        manifest
            .take(MANIFEST_READ.min(limits.max_unpacked_bytes))
            .read_to_end(&mut text)
            .map_err(|e| ReadError::BrokenArchive(e.to_string()))?;
        if text.windows(b"encryption-data".len()).any(|w| w == b"encryption-data") {
            return Err(ReadError::Encrypted);
        }
    }
    let mut epoch = Epoch::Excel1900;
    let mut budget = limits.max_unpacked_bytes;
    let mut workbook_xml = Vec::new();
    let mut ods_content = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| ReadError::BrokenArchive(e.to_string()))?;
        if entry.is_dir() {
            continue;
        }
        let is_workbook = entry.name() == "xl/workbook.xml";
        let is_ods_content = entry.name() == "content.xml";
        let mut limited = (&mut entry).take(budget.saturating_add(1));
        let read = if is_workbook {
            limited.read_to_end(&mut workbook_xml)
        } else if is_ods_content {
            limited.read_to_end(&mut ods_content)
        } else {
            std::io::copy(&mut limited, &mut std::io::sink()).map(|n| n as usize)
        }
        .map_err(|e| ReadError::BrokenArchive(e.to_string()))? as u64;
        if read > budget {
            return Err(ReadError::TooLargeUnpacked { limit: limits.max_unpacked_bytes });
        }
        budget -= read;
    }
    // Workbooks from old Mac Excel count dates from 1904; plain numbers in date columns then
    // need that epoch too (calamine converts only cells formatted as dates).
    let text = String::from_utf8_lossy(&workbook_xml);
    if text.contains("date1904=\"1\"") || text.contains("date1904=\"true\"") {
        epoch = Epoch::Excel1904;
    }
    Ok(ZipFacts { epoch, ods_content })
}

/// calamine expands an ODS file's repeat attributes (`number-rows-repeated`,
/// `number-columns-repeated`) into real cells before any limit of ours can run, so a few
/// kilobytes could ask for billions of cells. This walks content.xml once and estimates the
/// grid calamine would build per sheet: the rows up to the last filled one times the widest
/// filled row, repeats included. Trailing empty repeats (which LibreOffice writes) cost
/// nothing and are ignored.
///
/// The walk also refuses a content.xml that ends inside an element: calamine reads a sheet
/// until its end tag and, on a file cut short inside a `<table:table>`, would read on at the end
/// of the file forever (found by the mangled-file test in `tests/import.rs`).
fn check_ods_grid(content: &[u8], limits: &Limits) -> Result<(), ReadError> {
    use quick_xml::events::Event;
    fn number(e: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> usize {
        e.try_get_attribute(name)
            .ok()
            .flatten()
            .and_then(|a| std::str::from_utf8(&a.value).ok().and_then(|v| v.trim().parse().ok()))
            .unwrap_or(1)
    }
    let mut reader = quick_xml::Reader::from_reader(content);
    let mut buf = Vec::new();
    let (mut sheet, mut rows, mut filled_rows, mut width) = (String::new(), 0usize, 0usize, 0usize);
    let (mut row_repeat, mut column, mut filled_end) = (1usize, 0usize, 0usize);
    let (mut cells_total, mut spaces) = (0usize, 0usize);
    // The elements open at this point; quick-xml checks that each end tag closes the last one.
    let mut open: Vec<Vec<u8>> = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| ReadError::Unreadable(e.to_string()))?;
        let (start, end) = match &event {
            Event::Start(e) => {
                open.push(e.name().as_ref().to_vec());
                (Some(e.clone()), false)
            }
            Event::Empty(e) => (Some(e.clone()), true),
            Event::End(e) => {
                open.pop();
                match e.name().as_ref() {
                    b"table:table-row" => {
                        if filled_end > 0 {
                            filled_rows = rows.saturating_add(row_repeat);
                            width = width.max(filled_end);
                        }
                        rows = rows.saturating_add(row_repeat);
                    }
                    b"table:table" => {
                        if filled_rows > limits.max_rows {
                            return Err(ReadError::TooManyRows { sheet, limit: limits.max_rows });
                        }
                        if width > limits.max_columns {
                            return Err(ReadError::TooManyColumns { sheet, column: width, limit: limits.max_columns });
                        }
                        cells_total = cells_total.saturating_add(filled_rows.saturating_mul(width));
                        if cells_total > limits.max_cells {
                            return Err(ReadError::TooManyCells { limit: limits.max_cells });
                        }
                    }
                    _ => {}
                }
                (None, false)
            }
            Event::Eof => match open.last() {
                Some(name) => {
                    let name = String::from_utf8_lossy(name);
                    return Err(ReadError::Unreadable(format!("content.xml ends inside <{name}>")));
                }
                None => break,
            },
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.name().as_ref() {
                b"table:table" => {
                    sheet = e
                        .try_get_attribute("table:name")
                        .ok()
                        .flatten()
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                        .unwrap_or_default();
                    (rows, filled_rows, width) = (0, 0, 0);
                }
                b"table:table-row" => {
                    (row_repeat, column, filled_end) = (number(&e, b"table:number-rows-repeated"), 0, 0);
                    if end {
                        rows = rows.saturating_add(row_repeat);
                    }
                }
                b"table:table-cell" | b"table:covered-table-cell" => {
                    column = column.saturating_add(number(&e, b"table:number-columns-repeated"));
                    // calamine also builds a cell for a formula without a value type.
                    let has = |name: &str| e.try_get_attribute(name).ok().flatten().is_some();
                    let filled = has("office:value-type") || has("table:formula") || !end;
                    if filled {
                        filled_end = column;
                    }
                }
                // `<text:s text:c="400000000"/>` stands for that many spaces, which calamine
                // writes out: they count as unpacked bytes.
                b"text:s" => {
                    spaces = spaces.saturating_add(number(&e, b"text:c"));
                    if content.len().saturating_add(spaces) as u64 > limits.max_unpacked_bytes {
                        return Err(ReadError::TooLargeUnpacked { limit: limits.max_unpacked_bytes });
                    }
                }
                _ => {}
            }
        }
        buf.clear();
    }
    Ok(())
}

fn open_zip<'b>(bytes: &'b [u8], limits: &Limits, extension: &str) -> Result<Book<'b>, ReadError> {
    let facts = check_zip(bytes, limits)?;
    let epoch = facts.epoch;
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::BrokenArchive(e.to_string()))?;
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    if names.iter().any(|n| n == "mimetype") && names.iter().any(|n| n == "content.xml") {
        check_ods_grid(&facts.ods_content, limits)?;
        return Ok(held(Epoch::Excel1900, read_ods(bytes, limits)?, limits));
    }
    if !names.iter().any(|n| n == "xl/workbook.xml") {
        return Err(ReadError::NotASpreadsheet(extension.to_string()));
    }
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsxError::Password => ReadError::Encrypted,
        other => ReadError::Unreadable(other.to_string()),
    })?;
    let sheet_names = workbook.sheet_names();
    if sheet_names.is_empty() {
        return Err(ReadError::NoSheets);
    }
    // Only the heads now: which sheets hold what decides which are read, and in what order.
    let mut heads = Vec::with_capacity(sheet_names.len());
    for name in sheet_names {
        let mut reader = workbook.worksheet_cells_reader(&name).map_err(calamine_error)?;
        // A sheet without `<dimension>` reads as A1:A1, which says nothing; a claim beyond the
        // row limit (XFD1048576 in a hostile file) is not believed either.
        let dimensions = reader.dimensions();
        let rows_claimed = (dimensions != calamine::Dimensions::default())
            .then_some(dimensions.end.0 as usize + 1)
            .filter(|rows| *rows <= limits.max_rows);
        let mut sink = SheetSink::new(&name, limits);
        let mut more = false;
        let mut cells = 0usize;
        while let Some(cell) = reader.next_cell().map_err(calamine_error)? {
            let (row, column) = cell.get_position();
            let value = from_data_ref(cell.get_value());
            if row as usize >= HEAD_ROWS {
                if !value.is_blank() {
                    more = true;
                    break;
                }
                continue;
            }
            sink.put(row as usize, column as usize, value, &mut cells)?;
        }
        heads.push(SheetHead { name, rows: sink.rows, more, rows_claimed });
    }
    Ok(Book { epoch, sheets: heads, source: Source::Xlsx(Box::new(workbook)), limits: limits.clone(), cells_total: 0 })
}

fn read_ods(bytes: &[u8], limits: &Limits) -> Result<Vec<NamedRows>, ReadError> {
    let mut workbook: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::OdsError::Password => ReadError::Encrypted,
        other => ReadError::Unreadable(other.to_string()),
    })?;
    let sheet_names = workbook.sheet_names();
    if sheet_names.is_empty() {
        return Err(ReadError::NoSheets);
    }
    let mut cells_total = 0usize;
    let mut sheets = Vec::new();
    for name in sheet_names {
        let range = workbook.worksheet_range(&name).map_err(calamine_error)?;
        let mut sink = SheetSink::new(&name, limits);
        for (row, column, value) in range.used_cells() {
            let (start_row, start_col) = range.start().unwrap_or((0, 0));
            let cell = from_data_ref(&data_to_ref(value));
            sink.put(row + start_row as usize, column + start_col as usize, cell, &mut cells_total)?;
        }
        sheets.push((name, sink.rows));
    }
    Ok(sheets)
}

fn data_to_ref(data: &calamine::Data) -> DataRef<'_> {
    use calamine::Data;
    match data {
        Data::Int(v) => DataRef::Int(*v),
        Data::Float(v) => DataRef::Float(*v),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}

fn from_data_ref(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::Int(v) => Cell::Number(*v as f64),
        DataRef::Float(v) => Cell::Number(*v),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) => match d.as_datetime() {
            Some(dt) if d.is_datetime() => Cell::Date(dt),
            // A duration-formatted cell is a number to us.
            _ => Cell::Number(d.as_f64()),
        },
        DataRef::DateTimeIso(s) => chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
            .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map(|d| d.and_time(chrono::NaiveTime::MIN)))
            .map(Cell::Date)
            .unwrap_or_else(|_| Cell::Text(s.clone())),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

/// Collects one sheet's cells into rows while enforcing the limits; `rows[i]` is the sheet's
/// row `first + i` (0-based), so a sheet can be collected in chunks.
struct SheetSink<'l> {
    name: String,
    limits: &'l Limits,
    first: usize,
    rows: Vec<Vec<Cell>>,
    /// The length of the row collected last: a new row starts with room for that many cells
    /// instead of growing cell by cell (two or three reallocations per row of a large sheet).
    /// Not the widest row so far, so that one wide row does not make every later row reserve
    /// its width.
    width: usize,
}

impl<'l> SheetSink<'l> {
    fn new(name: &str, limits: &'l Limits) -> Self {
        SheetSink { name: name.to_string(), limits, first: 0, rows: Vec::new(), width: 0 }
    }

    fn put(&mut self, row: usize, column: usize, value: Cell, cells_total: &mut usize) -> Result<(), ReadError> {
        if value.is_blank() {
            // Formatted but empty cells, and text of spaces only (a formula giving ""), cost
            // nothing: a column of such formulas filled far down must not hit the row limit.
            return Ok(());
        }
        if row >= self.limits.max_rows {
            return Err(ReadError::TooManyRows { sheet: self.name.clone(), limit: self.limits.max_rows });
        }
        if column >= self.limits.max_columns {
            return Err(ReadError::TooManyColumns {
                sheet: self.name.clone(),
                column: column + 1,
                limit: self.limits.max_columns,
            });
        }
        // Rows arrive in order from every writer we know; a file that goes back to a row
        // already handed on cannot be collected in chunks.
        let Some(index) = row.checked_sub(self.first) else {
            return Err(ReadError::RowsOutOfOrder { sheet: self.name.clone(), row: row + 1, after: self.first + 1 });
        };
        if self.rows.len() <= index {
            // Blank rows in between stay unallocated.
            self.rows.resize_with(index, Vec::new);
            self.rows.push(Vec::with_capacity(self.width));
        }
        let cells = &mut self.rows[index];
        if cells.len() <= column {
            // The limit counts the cells held, not only the filled ones: a row is held up to
            // its last filled cell, so a few bytes of `;;;…;x` lines would otherwise hold
            // gigabytes of empty cells.
            *cells_total += column + 1 - cells.len();
            if *cells_total > self.limits.max_cells {
                return Err(ReadError::TooManyCells { limit: self.limits.max_cells });
            }
            cells.resize(column + 1, Cell::Empty);
            self.width = cells.len();
        }
        cells[column] = value;
        Ok(())
    }

    /// The rows collected so far as a chunk; collecting goes on at row `next` (0-based).
    fn hand_on(&mut self, next: usize) -> Chunk {
        let chunk = Chunk { first: self.first, rows: std::mem::take(&mut self.rows) };
        self.first = next.max(self.first);
        chunk
    }
}

/// CSV as German Excel writes it: UTF-8 (with or without BOM) or Windows-1252 (Mac Roman from
/// Excel for Mac's "CSV (Macintosh)"), separated by `;` (German locale) or `,`, fields quoted
/// with `"`. All cells are text; the column parsers read numbers and dates from it.
fn read_csv(file_name: &str, bytes: &[u8], limits: &Limits) -> Result<NamedRows, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Excel for Mac's "CSV (Macintosh)" ends lines with a bare CR, and its umlauts are Mac
    // Roman: read as Windows-1252, "Bürger" would become "BŸrger".
    let bare_cr = bytes.contains(&b'\r') && !bytes.contains(&b'\n');
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) if bare_cr => encoding_rs::MACINTOSH.decode_without_bom_handling(bytes).0,
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
    };
    // Rows are counted by LF.
    let text = if bare_cr { std::borrow::Cow::Owned(text.replace('\r', "\n")) } else { text };
    let delimiter = guess_delimiter(&text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name).to_string();
    let mut sink = SheetSink::new(&name, limits);
    let mut cells_total = 0usize;
    // Rows are the file's line numbers (blank lines count), as an editor shows them. The
    // reader skips blank lines, so the row is derived from where the record ends: the line
    // breaks up to there, minus those inside its quoted fields.
    let bytes = text.as_bytes();
    let (mut breaks, mut counted_to) = (0usize, 0usize);
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(ReadError::Unreadable(format!("CSV-Zeile {}: {e}", breaks + 1))),
        }
        let end = (reader.position().byte() as usize).min(bytes.len());
        breaks += bytes[counted_to..end].iter().filter(|b| **b == b'\n').count();
        counted_to = end;
        let inside: usize = record.iter().map(|f| f.bytes().filter(|b| *b == b'\n').count()).sum();
        let terminated = end > 0 && bytes[end - 1] == b'\n';
        let row = breaks.saturating_sub(inside + usize::from(terminated));
        for (column, field) in record.iter().enumerate() {
            if !field.trim().is_empty() {
                // Leitstand's CSV export writes text that looks like a formula with a leading
                // apostrophe (formula-injection guard); the value itself has none.
                sink.put(row, column, Cell::Text(unguard_csv_text(field).to_string()), &mut cells_total)?;
            }
        }
    }
    Ok((name, sink.rows))
}

/// The separator that the first records use the same number of times (outside quotes) most
/// often: the real one separates every row into the same columns, while commas in a text
/// (unquoted, as Excel writes them with `;`) vary from row to row. On a tie the separator
/// with more columns wins, then `;` (German Excel). A quoted cell may span lines (a note with
/// line breaks): its lines belong to one record and are not counted.
fn guess_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 3] = [b';', b',', b'\t'];
    const RECORDS: usize = 10;
    let mut per_line: Vec<[usize; 3]> = Vec::new();
    let (mut quoted, mut in_line, mut blank) = (false, [0usize; 3], true);
    for byte in text.bytes() {
        match byte {
            b'"' => (quoted, blank) = (!quoted, false),
            _ if quoted => {}
            b'\n' => {
                if !blank {
                    per_line.push(in_line);
                    if per_line.len() == RECORDS {
                        break;
                    }
                }
                (in_line, blank) = ([0; 3], true);
            }
            _ => {
                if let Some(i) = CANDIDATES.iter().position(|d| *d == byte) {
                    in_line[i] += 1;
                }
                blank &= byte.is_ascii_whitespace();
            }
        }
    }
    if !blank && per_line.len() < RECORDS {
        per_line.push(in_line); // the last record, without a line break after it
    }
    // Per separator: how many lines share its most common count, and that count.
    let consistency = |i: usize| {
        let mut tally: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for counts in per_line.iter().filter(|counts| counts[i] > 0) {
            *tally.entry(counts[i]).or_default() += 1;
        }
        tally.into_iter().map(|(count, lines)| (lines, count)).max().unwrap_or((0, 0))
    };
    (0..CANDIDATES.len())
        .map(|i| (consistency(i), std::cmp::Reverse(i), CANDIDATES[i]))
        .filter(|((lines, _), _, _)| *lines > 0)
        .max()
        .map_or(b';', |(_, _, delimiter)| delimiter)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sheet's rows, streamed chunk by chunk and put together again.
    fn read(file_name: &str, bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<Vec<Cell>>>, ReadError> {
        let mut book = open(file_name, bytes, limits)?;
        let mut sheets = Vec::new();
        for index in 0..book.sheets.len() {
            let mut rows: Vec<Vec<Cell>> = Vec::new();
            book.stream(index, |chunk| {
                assert!(chunk.first >= rows.len(), "chunks must not overlap");
                rows.resize_with(chunk.first, Vec::new);
                rows.extend(chunk.rows);
            })?;
            sheets.push(rows);
        }
        Ok(sheets)
    }

    #[test]
    fn a_large_xlsx_sheet_comes_in_chunks_that_add_up() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Titel").unwrap();
        // Row 5000 stays empty: a gap across a chunk boundary keeps its place.
        for r in (1..6_000u32).filter(|r| *r != 5_000) {
            sheet.write_number(r, 1, f64::from(r)).unwrap();
        }
        let bytes = book.save_to_buffer().unwrap();
        let mut opened = open("gross.xlsx", &bytes, &Limits::default()).unwrap();
        assert_eq!(opened.sheets[0].rows.len(), HEAD_ROWS);
        assert!(opened.sheets[0].more);
        // The writer's `<dimension ref="A1:B6000">`: what the progress bar counts against.
        assert_eq!(opened.sheets[0].rows_claimed, Some(6_000));
        let mut chunks = Vec::new();
        opened.stream(0, |chunk| chunks.push((chunk.first, chunk.rows.len()))).unwrap();
        assert!(chunks.len() >= 3, "{chunks:?}");
        assert!(chunks.iter().all(|(_, n)| *n <= CHUNK_ROWS), "{chunks:?}");
        let rows = &read("gross.xlsx", &bytes, &Limits::default()).unwrap()[0];
        assert_eq!(rows.len(), 6_000);
        assert_eq!(rows[0][0], Cell::Text("Titel".into()));
        assert_eq!(rows[4_999][1], Cell::Number(4_999.0));
        assert!(rows[5_000].is_empty());
        assert_eq!(rows[5_999][1], Cell::Number(5_999.0));
    }

    /// `bytes` with the first sheet's XML changed by `edit`.
    fn with_first_sheet(bytes: &[u8], edit: impl Fn(String) -> String) -> Vec<u8> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).unwrap();
            let name = entry.name().to_string();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            if name == "xl/worksheets/sheet1.xml" {
                data = edit(String::from_utf8(data).unwrap()).into_bytes();
            }
            out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            std::io::Write::write_all(&mut out, &data).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_sheet_claims_its_rows_only_within_the_limit() {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().write_string(2, 1, "Titel").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let claim = |bytes: &[u8]| open("x.xlsx", bytes, &Limits::default()).unwrap().sheets[0].rows_claimed;
        assert_eq!(claim(&bytes), Some(3));
        let hostile = with_first_sheet(&bytes, |xml| {
            xml.replace("<dimension ref=\"B3\"/>", "<dimension ref=\"A1:XFD1048576\"/>")
        });
        assert_eq!(claim(&hostile), None, "a claim beyond the row limit says nothing");
        let silent = with_first_sheet(&bytes, |xml| xml.replace("<dimension ref=\"B3\"/>", ""));
        assert_eq!(claim(&silent), None, "a sheet without <dimension>");
    }

    #[test]
    fn a_csv_comes_in_chunks_and_claims_its_rows() {
        let text: String =
            std::iter::once("Themenfeld\n".to_string()).chain((1..=1_200).map(|n| format!("Feld {n}\n"))).collect();
        let mut book = open("felder.csv", text.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(book.sheets[0].rows_claimed, Some(1_201));
        let mut chunks = Vec::new();
        book.stream(0, |chunk| chunks.push((chunk.first, chunk.rows.len()))).unwrap();
        assert_eq!(chunks, vec![(0, CHUNK_ROWS), (CHUNK_ROWS, CHUNK_ROWS), (2 * CHUNK_ROWS, 1_201 - 2 * CHUNK_ROWS)]);
        let mut empty = open("leer.csv", b"Themenfeld\n", &Limits::default()).unwrap();
        let mut chunks = Vec::new();
        empty.stream(0, |chunk| chunks.push((chunk.first, chunk.rows.len()))).unwrap();
        assert_eq!(chunks, vec![(0, 1)], "a short sheet is one chunk");
    }

    #[test]
    fn rows_out_of_order_are_refused_naming_the_sheet() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("Projekte").unwrap();
        sheet.write_string(0, 0, "Titel").unwrap();
        sheet.write_string(1, 0, "zwei").unwrap();
        sheet.write_string(4_000, 0, "spät").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        // Move row 2 behind row 4001, past a chunk boundary.
        let shuffled = with_first_sheet(&bytes, |mut xml| {
            let start = xml.find("<row r=\"2\"").unwrap();
            let end = start + xml[start..].find("</row>").unwrap() + "</row>".len();
            let row: String = xml.drain(start..end).collect();
            let close = xml.find("</sheetData>").unwrap();
            xml.insert_str(close, &row);
            xml
        });
        let err = read("x.xlsx", &shuffled, &Limits::default()).unwrap_err();
        assert_eq!(err, ReadError::RowsOutOfOrder { sheet: "Projekte".into(), row: 2, after: 4_001 });
        assert!(err.to_string().starts_with("Blatt »Projekte«: Zeile 2 steht in der Datei erst hinter Zeile 4001."));
    }

    #[test]
    fn csv_in_windows_1252_with_semicolons() {
        let bytes = b"Projekt-Nr;Titel;Ma\xdfnahme\r\nDIG-0001;\"B\xfcrgerb\xfcro; online\";x\r\n";
        let book = read("fb61.csv", bytes, &Limits::default()).unwrap();
        let rows = &book[0];
        assert_eq!(rows[0][2], Cell::Text("Maßnahme".into()));
        assert_eq!(rows[1][1], Cell::Text("Bürgerbüro; online".into()));
    }

    #[test]
    fn csv_rows_are_line_numbers_blank_lines_included() {
        let book = read("x.csv", b"a;b\n\n1;\"zwei\nZeilen\"\n3;4\n", &Limits::default()).unwrap();
        let rows = &book[0];
        assert_eq!(rows[2][0], Cell::Text("1".into()));
        assert_eq!(rows[4][0], Cell::Text("3".into()), "{rows:?}");
    }

    #[test]
    fn csv_with_commas_and_bom() {
        let book = read("x.csv", "\u{feff}a,b,c\n1,\"2,5\",3\n".as_bytes(), &Limits::default()).unwrap();
        assert_eq!(book[0][1][1], Cell::Text("2,5".into()));
    }

    #[test]
    fn commas_in_a_text_do_not_outvote_the_semicolons() {
        let text = "Projekt-Nr;Titel;Ampel-Begründung\nDIG-0001;Portal;Verzug, weil Lieferant, Server, Lizenzen, Personal, Ausschreibung fehlen\nDIG-0002;Akte;\n";
        let book = read("projekte.csv", text.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(
            book[0][1][2],
            Cell::Text("Verzug, weil Lieferant, Server, Lizenzen, Personal, Ausschreibung fehlen".into())
        );
        assert_eq!(book[0][2][0], Cell::Text("DIG-0002".into()));
        // And the other way round: a semicolon in one text of a comma-separated file.
        let book = read("x.csv", b"a,b\n1,eins; zwei; drei\n2,zwei\n", &Limits::default()).unwrap();
        assert_eq!(book[0][1][1], Cell::Text("eins; zwei; drei".into()));
    }

    #[test]
    fn csv_with_bare_carriage_returns_as_excel_for_mac_writes_it() {
        let book = read("mac.csv", b"a;b\r1;2\r\r3;4\r", &Limits::default()).unwrap();
        let rows = &book[0];
        assert_eq!(rows[1], vec![Cell::Text("1".into()), Cell::Text("2".into())]);
        assert_eq!(rows[3], vec![Cell::Text("3".into()), Cell::Text("4".into())], "{rows:?}");
    }

    #[test]
    fn csv_for_mac_is_read_in_mac_roman() {
        let book =
            read("mac.csv", b"Projekt-Nr;Titel\rDIG-1;B\x9frgerb\x9fro Stra\xa7e \x80mter\r", &Limits::default())
                .unwrap();
        assert_eq!(book[0][1][1], Cell::Text("Bürgerbüro Straße Ämter".into()));
    }

    #[test]
    fn a_note_over_several_lines_does_not_outvote_the_separator() {
        let text =
            "Projekt-Nr,Titel,Bemerkung\nP-1,Portal,\"a; b; c\nd; e; f\ng; h; i\nj; k; l\nm; n; o\"\nP-2,Akte,keine\n";
        let book = read("x.csv", text.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(book[0][1][2], Cell::Text("a; b; c\nd; e; f\ng; h; i\nj; k; l\nm; n; o".into()));
        assert_eq!(book[0][6], vec![Cell::Text("P-2".into()), Cell::Text("Akte".into()), Cell::Text("keine".into())]);
    }

    #[test]
    fn renamed_binary_is_refused_by_content() {
        let err = read("bericht.xlsx", &[0x89, b'P', b'N', b'G', 0, 0, 1, 2], &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("»xlsx«"), "{err}");
        assert_eq!(read("leer.xlsx", b"", &Limits::default()).unwrap_err(), ReadError::Empty);
    }

    #[test]
    fn row_limit_names_the_limit() {
        let limits = Limits { max_rows: 3, ..Limits::default() };
        let err = read("x.csv", b"a;b\n1;2\n3;4\n5;6\n", &limits).unwrap_err();
        assert!(err.to_string().contains("mehr als 3 Zeilen"), "{err}");
        assert!(err.to_string().contains("LEITSTAND_IMPORT_MAX_ROWS"));
    }
}
