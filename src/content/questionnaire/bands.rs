//! Whether a questionnaire's bands cover every possible total exactly once:
//! no gap, no overlap, from the lowest total to the highest.

use std::ops::Range;

use crate::content::front_matter::Placed;

/// A band's limits, placed in the file.
#[derive(Debug, Clone)]
pub struct BandRange {
    /// Its lowest total.
    pub min: Placed<u32>,
    /// Its highest total.
    pub max: Placed<u32>,
}

/// One mistake in the bands, at a `min` or `max` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Byte range of the value in the file.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

/// The problems of `ranges`, written from the lowest total up, against the
/// lowest and highest possible totals when those are known.
pub fn coverage(ranges: &[BandRange], totals: Option<(u32, u32)>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut say = |span: &Range<usize>, message: String, help: String| {
        problems.push(Problem {
            span: span.clone(),
            message,
            help,
        });
    };
    // The band reaching highest so far: what the next band must follow.
    let mut reach: Option<&BandRange> = None;
    for r in ranges {
        let (min, max) = (r.min.value, r.max.value);
        if min > max {
            say(
                &r.max.span,
                format!("this band ends (max = {max}) below where it starts (min = {min})"),
                "swap min and max".into(),
            );
            continue;
        }
        match reach {
            None => {
                if let Some((low, _)) = totals
                    && min != low
                {
                    let message = if min > low {
                        format!(
                            "totals {low}–{} fall in no band: the lowest possible total is {low}",
                            min - 1
                        )
                    } else {
                        format!(
                            "no total can be as low as {min}: the lowest possible total is {low}"
                        )
                    };
                    say(
                        &r.min.span,
                        message,
                        format!("start the first band at min = {low}"),
                    );
                }
            }
            Some(before) => {
                let next = before.max.value + 1;
                if min > next {
                    say(
                        &r.min.span,
                        format!(
                            "totals {next}–{} fall in no band: the band before ends at {}",
                            min - 1,
                            before.max.value
                        ),
                        format!(
                            "start this band at min = {next}, or end the band before at max = {}",
                            min - 1
                        ),
                    );
                } else if min < next {
                    say(
                        &r.min.span,
                        format!(
                            "this band overlaps the band before: totals {min}–{} are in both",
                            max.min(before.max.value)
                        ),
                        format!(
                            "start this band at min = {next}; list the bands from the lowest total up"
                        ),
                    );
                }
            }
        }
        if reach.is_none_or(|b| max > b.max.value) {
            reach = Some(r);
        }
    }
    if let (Some(last), Some((_, high))) = (reach, totals) {
        let max = last.max.value;
        if max < high {
            say(
                &last.max.span,
                format!(
                    "totals {}–{high} fall in no band: the highest possible total is {high}",
                    max + 1
                ),
                format!("end the last band at max = {high}, or add a band after it"),
            );
        } else if max > high {
            say(
                &last.max.span,
                format!("no total can reach {max}: the highest possible total is {high}"),
                format!("end the last band at max = {high}"),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bands(limits: &[(u32, u32)]) -> Vec<BandRange> {
        limits
            .iter()
            .enumerate()
            .map(|(i, &(min, max))| BandRange {
                min: Placed {
                    value: min,
                    span: i * 10..i * 10 + 1,
                },
                max: Placed {
                    value: max,
                    span: i * 10 + 5..i * 10 + 6,
                },
            })
            .collect()
    }

    fn messages(limits: &[(u32, u32)], totals: (u32, u32)) -> Vec<(usize, String)> {
        coverage(&bands(limits), Some(totals))
            .into_iter()
            .map(|p| (p.span.start, p.message))
            .collect()
    }

    #[test]
    fn the_phq9_bands_cover_0_to_27() {
        assert!(messages(&[(0, 4), (5, 9), (10, 14), (15, 19), (20, 27)], (0, 27)).is_empty());
    }

    #[test]
    fn gaps_overlaps_and_missing_ends_point_at_their_limit() {
        let found = messages(&[(1, 4), (6, 9), (9, 12), (13, 20)], (0, 21));
        assert_eq!(
            found,
            [
                (
                    0,
                    "totals 0–0 fall in no band: the lowest possible total is 0".into()
                ),
                (
                    10,
                    "totals 5–5 fall in no band: the band before ends at 4".into()
                ),
                (
                    20,
                    "this band overlaps the band before: totals 9–9 are in both".into()
                ),
                (
                    35,
                    "totals 21–21 fall in no band: the highest possible total is 21".into()
                ),
            ]
        );
        let past = messages(&[(0, 30)], (0, 21));
        assert_eq!(
            past,
            [(
                5,
                "no total can reach 30: the highest possible total is 21".into()
            )]
        );
        let reversed = messages(&[(0, 10), (15, 11), (11, 21)], (0, 21));
        assert_eq!(reversed.len(), 1, "{reversed:?}");
        assert!(reversed[0].1.contains("below where it starts"));
    }

    #[test]
    fn without_totals_only_the_bands_are_compared() {
        assert!(coverage(&bands(&[(3, 4), (5, 90)]), None).is_empty());
        assert_eq!(coverage(&bands(&[(3, 4), (4, 90)]), None).len(), 1);
    }
}
