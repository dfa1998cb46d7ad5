//! The Gregorian calendar, as much of it as date checks need: AAF feeds write `dd/mm/yyyy`, GAR
//! exports `yyyy-mm-dd`, and both must name a day the month has.

/// How many days `month` (1 to 12) has in `year`; `None` for a month that does not exist.
#[must_use]
pub fn days_in_month(year: u32, month: u32) -> Option<u32> {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        4 | 6 | 9 | 11 => Some(30),
        2 if leap => Some(29),
        2 => Some(28),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::days_in_month;

    #[test]
    fn february_follows_the_leap_years() {
        assert_eq!(days_in_month(2024, 2), Some(29));
        assert_eq!(days_in_month(2023, 2), Some(28));
        assert_eq!(days_in_month(1900, 2), Some(28));
        assert_eq!(days_in_month(2000, 2), Some(29));
        assert_eq!(days_in_month(2023, 4), Some(30));
        assert_eq!(days_in_month(2023, 13), None);
        assert_eq!(days_in_month(2023, 0), None);
    }
}
