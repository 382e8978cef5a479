-- Which bodies' grant rate (予以公开 / 办理结果总计) fell most from one report year to the next?
-- mart_agency_trend compares each body with its own latest earlier year; year_gap says how far apart.
select
    agency,
    previous_year,
    report_year,
    year_gap,
    round(previous_grant_rate, 4) as previous_grant_rate,
    round(grant_rate, 4) as grant_rate,
    round(grant_rate_change, 4) as grant_rate_change
from marts.mart_agency_trend
where grant_rate_change is not null
order by grant_rate_change, agency, report_year
limit 20;
