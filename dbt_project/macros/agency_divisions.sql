{#-
  One row per body as written (agency + province of stg_report_metadata): the division it belongs to, the
  body within the division, and the stable agency_key. The one owner of agency-name normalisation.

  A place in the name is found by these rules (the seed division, current and former rows):
    full_name       the full name (洪泽区, 淮安市)                                    high
    former_name     the full name of a former division, read as its successor        high
                    (海安县 → 海安市; no successor: the former division itself)
    renamed_suffix  a current county's short name under another county suffix that  medium
                    no division bears (洪泽县 for 洪泽区, renamed before the data)
    short_name      a short name opening the name (上海科委 → 上海市), not followed by  medium
                    a division suffix or a town word (镇 乡 村 街 路)
  A two-character full name (泾县, 城区) counts only opening the name or with its parent named.
  A place must lie in the report's province when that is known. The deepest place wins (county, then
  prefecture, then province); among places of that level, the one the other places in the name support
  (its prefecture or province also named), then the stronger rule. Two places left with equal standing:
  ambiguous. No place: unmatched. Neither is guessed: division_code stays null.

  The body is what follows the place: '' / 政府 / 人民政府 (全称, 简称, 人民政府 omitted) are one body,
  人民政府; 政府办公室 is 人民政府办公室. agency_key = md5(division_code|body); an unmatched or ambiguous
  body keeps md5('unmatched|province|name'), its spellings not merged.

  agency_divisions(known): the bodies of stg_report_metadata, or, given `known` (a relation with agency and
  province), only those it does not hold yet: what int_agency_divisions adds in an incremental run, and
  what int_agency_divisions_unseen shows the next build's plan (nianbao/incremental.py) before dbt runs.
-#}

{% macro agency_divisions(known=none) %}

with

report_metadata as (

    select * from {{ ref('stg_report_metadata') }}

),

division as (

    select * from {{ ref('division') }}

),

names as (

    select distinct
        agency,
        province,
        regexp_replace(agency, '\s', '', 'g') as name_clean

    from report_metadata
    where agency is not null
    {%- if known is not none %}
        and not exists (
            select 1 from {{ known }} as known
            where known.agency = report_metadata.agency
                and known.province is not distinct from report_metadata.province
        )
    {%- endif %}

),

division_names as (

    select distinct name
    from division

),

places as (

    select
        division.*,
        case when division.status = 'former' then coalesce(division.successor_code, division.division_code)
            else division.division_code
        end as matched_code

    from division

),

full_matches as (

    select
        names.agency,
        names.province,
        places.matched_code,
        places.division_code as place_code,
        places.level,
        places.province_code,
        places.prefecture_code,
        length(places.name) as place_length,
        strpos(names.name_clean, places.name) as place_start,
        case when places.status = 'former' then 'former_name' else 'full_name' end as match_rule,
        'high' as match_confidence,
        strpos(names.name_clean, places.name) + length(places.name) as place_end

    from names
    inner join places
        on contains(names.name_clean, places.name)
        and (names.province is null or names.province = places.province)

),

renamed_matches as (

    select
        names.agency,
        names.province,
        places.division_code as matched_code,
        places.division_code as place_code,
        places.level,
        places.province_code,
        places.prefecture_code,
        0 as place_length,
        0 as place_start,
        'renamed_suffix' as match_rule,
        'medium' as match_confidence,
        strpos(names.name_clean, places.short_name) + length(places.short_name) + 1 as place_end,
        places.short_name
        || substr(names.name_clean, strpos(names.name_clean, places.short_name) + length(places.short_name), 1)
        as written

    from names
    inner join places
        on places.status = 'current'
        and places.level = 'county'
        and places.short_name is not null
        and contains(names.name_clean, places.short_name)
        and (names.province is null or names.province = places.province)

),

short_matches as (

    select
        names.agency,
        names.province,
        places.matched_code,
        places.division_code as place_code,
        places.level,
        places.province_code,
        places.prefecture_code,
        0 as place_length,
        0 as place_start,
        'short_name' as match_rule,
        'medium' as match_confidence,
        length(places.short_name) + 1 as place_end,
        substr(names.name_clean, length(places.short_name) + 1, 1) as next_char

    from names
    inner join places
        on places.short_name is not null
        and starts_with(names.name_clean, places.short_name)
        and (names.province is null or names.province = places.province)

),

candidates as (

    select * from full_matches

    union all

    select
        agency, province, matched_code, place_code, level, province_code, prefecture_code, place_length,
        place_start, match_rule, match_confidence, place_end
    from renamed_matches
    where substr(written, -1) in ('县', '市', '区', '旗')
        and written not in (select name from division_names)

    union all

    select
        agency, province, matched_code, place_code, level, province_code, prefecture_code, place_length,
        place_start, match_rule, match_confidence, place_end
    from short_matches
    where next_char not in ('县', '市', '区', '旗', '州', '盟', '省', '镇', '乡', '村', '街', '路')

),

supported as (

    select
        candidates.*,
        case candidates.level when 'county' then 3 when 'prefecture' then 2 else 1 end as level_rank,
        (
            select count(*)
            from candidates as others
            where others.agency = candidates.agency
                and others.province is not distinct from candidates.province
                and others.place_code <> candidates.place_code
                and (others.place_code = candidates.province_code or others.place_code = candidates.prefecture_code)
        ) as support

    from candidates

),

ranked as (

    select
        *,
        rank() over (
            partition by agency, province
            order by level_rank desc, support desc, case match_confidence when 'high' then 0 else 1 end
        ) as standing

    from supported
    -- a two-character full name (泾县, 城区) counts only opening the name or after its prefecture or province
    where place_length <> 2 or support > 0 or place_start = 1

),

best as (

    select
        agency,
        province,
        count(distinct matched_code) as best_count,
        min(matched_code) as matched_code,
        min(match_rule) as match_rule,
        min(match_confidence) as match_confidence,
        max(place_end) as place_end

    from ranked
    where standing = 1
    group by agency, province

),

matched as (

    select
        names.agency,
        names.province,
        names.name_clean,
        case when best.best_count = 1 then best.matched_code end as division_code,
        case
            when best.agency is null then 'unmatched'
            when best.best_count > 1 then 'ambiguous'
            else best.match_rule
        end as match_rule,
        case when best.best_count = 1 then best.match_confidence else 'none' end as match_confidence,
        case when best.best_count = 1 then substr(names.name_clean, best.place_end) end as body_written

    from names
    left join best
        on names.agency = best.agency
        and names.province is not distinct from best.province

),

bodies as (

    select
        *,
        case
            when division_code is null then null
            when body_written in ('', '政府', '人民政府') then '人民政府'
            when starts_with(body_written, '人民政府') then body_written
            when starts_with(body_written, '政府') then '人民政府' || substr(body_written, 3)
            else body_written
        end as body

    from matched

),

division_by_code as (

    select * from division
    qualify row_number() over (partition by division_code order by status = 'current' desc) = 1

),

provinces as (

    select * from division
    where status = 'current' and level = 'province'

),

final as (

    select
        bodies.agency,
        bodies.province,
        case
            when bodies.division_code is not null then {{ agency_key('bodies.division_code', 'bodies.body') }}
            else {{ agency_key("'unmatched|' || coalesce(bodies.province, '')", 'bodies.name_clean') }}
        end as agency_key,
        bodies.division_code,
        bodies.body,
        bodies.match_rule,
        bodies.match_confidence,
        coalesce(placed.province_code, province_division.division_code) as province_code,
        coalesce(placed.province, bodies.province) as division_province,
        case
            when placed.level = 'prefecture' then placed.division_code
            else placed.prefecture_code
        end as prefecture_code,
        case when placed.level = 'county' then placed.division_code end as county_code

    from bodies
    left join division_by_code as placed
        on bodies.division_code = placed.division_code
    left join provinces as province_division
        on bodies.province = province_division.name

)

select * from final
order by agency, province

{% endmacro %}

{% macro delete_unnamed_bodies() -%}
    {#- int_agency_divisions' pre-hook: the bodies no staged report names any more (a full build has no row
        for them). -#}
    {%- if is_increment() -%}
delete from {{ this }} as known
where not exists (
    select 1 from {{ ref('stg_report_metadata') }} as report_metadata
    where report_metadata.agency = known.agency
        and report_metadata.province is not distinct from known.province
)
    {%- endif -%}
{%- endmacro %}
