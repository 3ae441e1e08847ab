//! The inline styles of a 公众号 正文. The 公众号 editor keeps only inline
//! styles, so each element carries its own. Chosen for an elder reading on
//! a phone: body text 16 px at line height 1.75, dark grey rather than
//! black. Every box has a solid light background, so that WeChat's dark
//! mode, which inverts light backgrounds, keeps the text readable. No
//! `var(`, `!important`, `position`, `float`, `flex` or `grid`.

/// The root `<section>`.
pub const ROOT: &str = "margin:0;padding:0 4px;font-size:16px;line-height:1.75;color:#3a3a3a;letter-spacing:0.5px;word-wrap:break-word;";
/// A paragraph.
pub const P: &str = "margin:0 0 16px;font-size:16px;line-height:1.75;color:#3a3a3a;";
/// Headings, by level 2 to 4.
pub const H: [&str; 3] = [
    "margin:28px 0 14px;font-size:19px;line-height:1.5;font-weight:bold;color:#1f5a4e;",
    "margin:24px 0 12px;font-size:17px;line-height:1.5;font-weight:bold;color:#1f5a4e;",
    "margin:20px 0 10px;font-size:16px;line-height:1.5;font-weight:bold;color:#1f5a4e;",
];
/// Bold.
pub const STRONG: &str = "font-weight:bold;color:#1f5a4e;";
/// Italic.
pub const EM: &str = "font-style:italic;";
/// Struck-through text.
pub const STRIKE: &str = "text-decoration:line-through;";
/// A link that stays a link (to a 公众号 article).
pub const A: &str = "color:#1e6fb8;text-decoration:underline;";
/// The number after a link's text that the references explain.
pub const SUP: &str = "color:#1e6fb8;";
/// A quotation: a box with its own background.
pub const BLOCKQUOTE: &str = "margin:16px 0;padding:12px 14px;background-color:#f2f6f4;border-left:4px solid #8fb9a8;color:#3a3a3a;font-size:16px;line-height:1.75;";
/// A list.
pub const LIST: &str =
    "margin:0 0 16px;padding-left:24px;font-size:16px;line-height:1.75;color:#3a3a3a;";
/// A list item.
pub const LI: &str = "margin:4px 0;font-size:16px;line-height:1.75;color:#3a3a3a;";
/// A table.
pub const TABLE: &str = "width:100%;margin:16px 0;border-collapse:collapse;font-size:15px;line-height:1.6;color:#3a3a3a;";
/// A header cell.
pub const TH: &str = "padding:6px 8px;border:1px solid #d5dcd8;background-color:#eef3f0;font-weight:bold;text-align:left;font-size:15px;";
/// A cell.
pub const TD: &str =
    "padding:6px 8px;border:1px solid #d5dcd8;background-color:#ffffff;font-size:15px;";
/// A code block.
pub const PRE: &str = "margin:16px 0;padding:12px;background-color:#f5f5f2;border-radius:4px;font-size:15px;line-height:1.6;color:#3a3a3a;overflow-x:auto;";
/// Code, inline or in a block.
pub const CODE: &str =
    "font-family:Menlo,Consolas,monospace;font-size:15px;background-color:#f5f5f2;color:#3a3a3a;";
/// An image.
pub const IMG: &str = "display:block;max-width:100%;height:auto;margin:16px auto;";
/// A QR code image: small enough to sit beside its caption on a phone.
pub const QR_IMG: &str = "display:block;width:160px;height:160px;margin:16px auto 4px;";
/// A thematic break.
pub const HR: &str = "margin:24px 0;border:0;border-top:1px solid #d5dcd8;";
/// A note for the editor or reader: a box with its own background.
pub const NOTE: &str = "margin:16px 0;padding:10px 12px;background-color:#f6f6f0;font-size:15px;line-height:1.6;color:#555555;";
/// The caption under a QR code.
pub const CAPTION: &str =
    "margin:0 0 16px;text-align:center;font-size:15px;line-height:1.6;color:#555555;";
/// The closing box: the hotlines and the article's own QR code.
pub const HELP: &str = "margin:32px 0 0;padding:12px 14px;background-color:#f2f6f4;font-size:16px;line-height:1.75;color:#3a3a3a;";
/// The references' heading.
pub const REFS_HEAD: &str =
    "margin:28px 0 8px;font-size:16px;line-height:1.5;font-weight:bold;color:#555555;";
/// One reference: the address as text, wrapping anywhere.
pub const REF: &str =
    "margin:0 0 6px;font-size:15px;line-height:1.6;color:#555555;word-break:break-all;";
