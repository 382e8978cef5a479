-- Where were administrative reviews (行政复议) decided against the body (纠正), and how often?
-- The rate is null with a reason when the report does not say (no 表四, or no review at all).
select
    agency,
    report_year,
    review_correction_rate_numerator as corrected,
    review_correction_rate_denominator as reviews,
    round(review_correction_rate, 4) as review_correction_rate,
    review_correction_rate_null_reason
from marts.mart_agency_year
where review_correction_rate_denominator > 0
order by review_correction_rate desc nulls last, agency, report_year;
