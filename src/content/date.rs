//! Publication dates from TOML front matter, normalised to the site's offset.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;
use serde::Serialize;

/// When an issue or article was published.
///
/// TOML allows a bare date, a local date-time, or one with an offset. All
/// are kept as a civil date-time in the site's offset, so they sort together
/// and print the same way; `has_time` remembers whether a time was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PubDate {
    civil: DateTime,
    offset: Offset,
    has_time: bool,
}

impl PubDate {
    /// Converts a TOML date or date-time; a time of day alone is refused.
    pub fn from_toml(value: &toml::value::Datetime, site_offset: Offset) -> Result<Self, String> {
        let d = value
            .date
            .ok_or("a time of day alone is not a date; write e.g. 2026-03-01")?;
        let date = Date::new(
            i16::try_from(d.year).map_err(|_| "the year is out of range")?,
            d.month as i8,
            d.day as i8,
        )
        .map_err(|_| {
            format!(
                "{}-{:02}-{:02} is not a day of the calendar",
                d.year, d.month, d.day
            )
        })?;
        let time = match value.time {
            Some(t) => Time::new(t.hour as i8, t.minute as i8, t.second.unwrap_or(0) as i8, 0)
                .map_err(|_| "the time of day is out of range".to_owned())?,
            None => Time::midnight(),
        };
        let local = date.to_datetime(time);
        let civil = match value.offset {
            Some(toml::value::Offset::Z) => to_site_offset(local, Offset::UTC, site_offset)?,
            Some(toml::value::Offset::Custom { minutes }) => {
                let own = Offset::from_seconds(i32::from(minutes) * 60)
                    .map_err(|_| "the UTC offset is out of range")?;
                to_site_offset(local, own, site_offset)?
            }
            None => local,
        };
        Ok(PubDate {
            civil,
            offset: site_offset,
            has_time: value.time.is_some(),
        })
    }

    /// `2026-02-10`, or `2026-02-10T09:30:00+08:00` when a time was given:
    /// what `<time datetime>` and sitemaps expect.
    pub fn iso(&self) -> String {
        if self.has_time {
            format!(
                "{}{}",
                self.civil.strftime("%Y-%m-%dT%H:%M:%S"),
                offset_text(self.offset)
            )
        } else {
            self.civil.date().strftime("%Y-%m-%d").to_string()
        }
    }

    /// `2026年2月10日`, the usual way of writing a date in Chinese.
    pub fn display(&self) -> String {
        let d = self.civil.date();
        format!("{}年{}月{}日", d.year(), d.month(), d.day())
    }

    /// RFC 822 (as RSS wants it) in the site's offset:
    /// `Tue, 10 Feb 2026 00:00:00 +0800`.
    pub fn rfc822(&self) -> String {
        self.civil.strftime("%a, %d %b %Y %H:%M:%S ").to_string()
            + &offset_text(self.offset).replace(':', "")
    }
}

fn to_site_offset(local: DateTime, own: Offset, site: Offset) -> Result<DateTime, String> {
    let instant = own.to_timestamp(local).map_err(|e| e.to_string())?;
    Ok(site.to_datetime(instant))
}

fn offset_text(offset: Offset) -> String {
    let s = offset.seconds();
    let sign = if s < 0 { '-' } else { '+' };
    let s = s.abs();
    format!("{sign}{:02}:{:02}", s / 3600, (s % 3600) / 60)
}

/// Dates appear in templates as their two spellings.
impl Serialize for PubDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("PubDate", 2)?;
        s.serialize_field("iso", &self.iso())?;
        s.serialize_field("display", &self.display())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Result<PubDate, String> {
        let value: toml::value::Datetime = text.parse().unwrap();
        PubDate::from_toml(&value, Offset::constant(8))
    }

    #[test]
    fn bare_dates_and_offsets_normalise_to_the_site() {
        assert_eq!(date("2026-02-10").unwrap().iso(), "2026-02-10");
        assert_eq!(date("2026-02-10").unwrap().display(), "2026年2月10日");
        assert_eq!(
            date("2026-02-10T09:30:00").unwrap().iso(),
            "2026-02-10T09:30:00+08:00"
        );
        assert_eq!(
            date("2026-02-10T20:00:00Z").unwrap().iso(),
            "2026-02-11T04:00:00+08:00"
        );
        assert!(date("2026-02-10").unwrap() < date("2026-02-10T00:00:01").unwrap());
        assert_eq!(
            date("2026-02-10").unwrap().rfc822(),
            "Tue, 10 Feb 2026 00:00:00 +0800"
        );
        assert_eq!(
            date("2026-02-10T20:00:00Z").unwrap().rfc822(),
            "Wed, 11 Feb 2026 04:00:00 +0800"
        );
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert!(date("09:00:00").is_err());
    }
}
