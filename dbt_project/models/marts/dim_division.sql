{#-
  One row per division code (seed division): current divisions with their parent chain and the former names
  that now mean them, and former divisions (merged, abolished or recoded) with the current code they became.
  A code renamed in place (桥东区 → 襄都区) is one current row with the old name in former_names.
-#}

with

division as (

    select * from {{ ref('division') }}

),

former_names as (

    select
        coalesce(successor_code, division_code) as current_code,
        string_agg(name, ', ' order by name) as former_names

    from division
    where status = 'former'
    group by coalesce(successor_code, division_code)

),

one_row_per_code as (

    select * from division
    qualify row_number() over (partition by division_code order by status = 'current' desc) = 1

),

final as (

    select
        one_row_per_code.division_code,
        one_row_per_code.name,
        one_row_per_code.short_name,
        one_row_per_code.level,
        one_row_per_code.province_code,
        one_row_per_code.province,
        one_row_per_code.prefecture_code,
        one_row_per_code.prefecture,
        case
            when one_row_per_code.level = 'province' then null
            else coalesce(one_row_per_code.prefecture_code, one_row_per_code.province_code)
        end as parent_code,
        one_row_per_code.status = 'current' as is_current,
        case
            when one_row_per_code.status = 'current' then one_row_per_code.division_code
            else one_row_per_code.successor_code
        end as current_code,
        one_row_per_code.change_rule,
        former_names.former_names,
        one_row_per_code.source

    from one_row_per_code
    left join former_names
        on one_row_per_code.division_code = former_names.current_code
        and one_row_per_code.status = 'current'

)

select * from final
order by division_code
