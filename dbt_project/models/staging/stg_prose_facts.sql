with

source as (

    select * from {{ source('staging', 'prose_facts') }} {{ in_build_scope() }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(fact_no as integer) as fact_no,
        cast(measure as varchar) as measure,
        cast(value as double) as value,
        cast(unit as varchar) as unit,
        cast(approximate as boolean) as approximate,
        cast(sentence as varchar) as sentence,
        cast(span_start as integer) as span_start,
        cast(span_end as integer) as span_end,
        cast(orig_span_start as integer) as orig_span_start,
        cast(orig_span_end as integer) as orig_span_end,
        cast(section_key as varchar) as section_key,
        cast(rule_id as varchar) as rule_id,
        cast(rule_rank as integer) as rule_rank,
        cast(parser_version as varchar) as parser_version

    from source

)

select * from renamed
