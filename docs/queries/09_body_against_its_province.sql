-- How does each body compare with the median of its province in the same year (new requests)?
select
    y.agency,
    y.province,
    y.report_year,
    y.applications_new,
    r.applications_new_median as province_median,
    r.applications_new_reports as province_bodies_stating,
    y.applications_new - r.applications_new_median as above_median
from marts.mart_agency_year as y
inner join marts.dim_agency as a on y.agency_key = a.agency_key
inner join marts.mart_region_year as r
    on r.region_code = a.province_code
    and r.report_year = y.report_year
    and r.admin_level = 'all'
where y.applications_new is not null
order by y.province, y.report_year, y.agency;
