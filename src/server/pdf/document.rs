//! What a PDF report says, independent of how it looks: a title, sections, and blocks of text,
//! facts, tables and charts. Everything is final text in the reader's language (dates as
//! TT.MM.JJJJ, decimal comma), so `report.typ` formats nothing itself.

use serde::Serialize;

use crate::domain::{Ampel, Lang};

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Document {
    pub title: String,
    /// Shown above the title and in the running head.
    pub kicker: String,
    pub author: String,
    pub keywords: Vec<String>,
    pub lang: &'static str,
    pub region: &'static str,
    /// Paragraphs under the title: what the report covers and how final it is.
    pub intro: Vec<String>,
    pub sections: Vec<Section>,
    /// The left half of every page's foot; the right half is the page number.
    pub footer: String,
    pub page_label: &'static str,
    pub page_of: &'static str,
}

impl Document {
    pub fn new(lang: Lang, title: String, kicker: String) -> Document {
        Document {
            title,
            kicker,
            author: lang.t("Stabsstelle Digitalisierung", "Digitisation staff unit").into(),
            keywords: Vec::new(),
            lang: lang.code(),
            region: match lang {
                Lang::De => "DE",
                Lang::En => "GB",
            },
            intro: Vec::new(),
            sections: Vec::new(),
            footer: String::new(),
            page_label: lang.t("Seite", "Page"),
            page_of: lang.t("von", "of"),
        }
    }

    /// The charts in order, each with the file name the layout refers to.
    pub(super) fn charts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sections.iter().flat_map(|s| &s.blocks).filter_map(|b| match b {
            Block::Chart { file, svg, .. } => Some((file.as_str(), svg.as_str())),
            _ => None,
        })
    }
}

#[derive(Debug, Serialize)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

impl Section {
    pub fn new(heading: impl Into<String>) -> Section {
        Section { heading: heading.into(), blocks: Vec::new() }
    }

    pub fn text(mut self, text: impl Into<String>) -> Section {
        self.blocks.push(Block::Text { text: text.into() });
        self
    }

    pub fn push(mut self, block: Block) -> Section {
        self.blocks.push(block);
        self
    }
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    Text {
        text: String,
    },
    Subheading {
        text: String,
    },
    /// Term and value pairs, as the profile at the top of a Projektsteckbrief.
    Facts {
        items: Vec<Fact>,
    },
    /// Built by [`Block::table`], which keeps every row as wide as the header.
    Table {
        caption: Option<String>,
        columns: Vec<Column>,
        rows: Vec<Vec<Cell>>,
    },
    /// An SVG chart; `alt` is its text alternative (PDF/UA requires one).
    Chart {
        file: String,
        alt: String,
        caption: String,
        #[serde(skip)]
        svg: String,
    },
}

impl Block {
    /// A table whose rows are cut or padded to the number of columns, so a mistake in a
    /// builder can never shift cells under the wrong heading.
    pub fn table(caption: Option<String>, columns: Vec<Column>, rows: Vec<Vec<Cell>>) -> Block {
        let width = columns.len();
        let rows = rows
            .into_iter()
            .map(|mut row| {
                row.resize_with(width, || Cell::Text("–".into()));
                row
            })
            .collect();
        Block::Table { caption, columns, rows }
    }

    /// A chart numbered by its place in the report (`chart-1.svg`, …). The few fixed names
    /// matter: Typst keeps every file name it ever saw for the life of the process.
    pub fn chart(number: usize, svg: String, alt: String, caption: String) -> Block {
        Block::Chart { file: format!("/chart-{number}.svg"), alt, caption, svg }
    }
}

#[derive(Debug, Serialize)]
pub struct Fact {
    pub term: String,
    pub value: Cell,
}

impl Fact {
    pub fn new(term: impl Into<String>, value: impl Into<Cell>) -> Fact {
        Fact { term: term.into(), value: value.into() }
    }
}

#[derive(Debug, Serialize)]
pub struct Column {
    pub label: String,
    /// Right-aligned (figures and dates).
    pub numeric: bool,
    pub width: Width,
}

/// How much of the line a column gets: as wide as its content, or a share of what is left.
#[derive(Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Width {
    Auto,
    Share,
    DoubleShare,
}

impl Column {
    /// Free text: an equal share of the room the other columns leave.
    pub fn text(label: impl Into<String>) -> Column {
        Column { label: label.into(), numeric: false, width: Width::Share }
    }
    /// Long free text: twice the share of a [`Column::text`].
    pub fn wide(label: impl Into<String>) -> Column {
        Column { label: label.into(), numeric: false, width: Width::DoubleShare }
    }
    /// Short words (Ampel, state): as wide as the widest entry.
    pub fn short(label: impl Into<String>) -> Column {
        Column { label: label.into(), numeric: false, width: Width::Auto }
    }
    /// Figures and dates: right-aligned, as wide as the widest entry.
    pub fn number(label: impl Into<String>) -> Column {
        Column { label: label.into(), numeric: true, width: Width::Auto }
    }
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Text(String),
    /// Symbol and word, coloured in the layout: the colour never stands alone.
    Ampel {
        ampel: &'static str,
        text: String,
    },
}

impl Cell {
    /// An Ampel code as symbol and word; an unknown code stays as it is.
    pub fn ampel(code: &str, lang: Lang) -> Cell {
        match Ampel::parse(code) {
            Some(a) => Cell::Ampel { ampel: a.code(), text: format!("{} {}", a.symbol(), a.label(lang)) },
            None => Cell::Text(code.to_string()),
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }
}
