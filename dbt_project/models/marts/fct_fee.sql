{#- One row per figure extracted for a measure routed to fct_fee by seed measure_glossary. -#}

with

prose_facts as (

    select * from {{ ref('int_prose_facts') }}

),

fee_facts as (

    select
        document_id,
        fact_no,
        measure,
        value,
        unit,
        approximate,
        source_kind,
        rule_id,
        rule_rank,
        section_key,
        span_start,
        span_end,
        orig_span_start,
        orig_span_end,
        sentence,
        is_chosen,
        is_conflict,
        parser_version

    from prose_facts
    where fact_table = 'fct_fee'

)

select * from fee_facts
order by document_id, fact_no
