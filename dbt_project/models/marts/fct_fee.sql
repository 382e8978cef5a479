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
        {{ fact_provenance_columns() }}

    from prose_facts
    where fact_table = 'fct_fee'

)

select * from fee_facts {{ in_build_batch() }}
order by document_id, fact_no
