{#- One row per figure extracted for a measure routed to fct_proactive_disclosure by seed measure_glossary. -#}

with

prose_facts as (

    select * from {{ ref('int_prose_facts') }}

),

proactive_disclosure_facts as (

    select
        document_id,
        fact_no,
        measure,
        {{ fact_provenance_columns() }}

    from prose_facts
    where fact_table = 'fct_proactive_disclosure'

)

select * from proactive_disclosure_facts
order by document_id, fact_no
