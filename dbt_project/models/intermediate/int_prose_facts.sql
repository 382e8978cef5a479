{#-
  Every prose figure with what the fct_* marts share: the fact table it is
  routed to (seed measure_glossary, the single routing table), whether it is
  the figure the summary chose, and whether its measure is in conflict.
-#}

with

prose_facts as (

    select * from {{ ref('stg_prose_facts') }}

),

measure_glossary as (

    select * from {{ ref('measure_glossary') }}

),

prose_measures as (

    select * from {{ ref('int_prose_measures') }}

),

routed_facts as (

    select
        prose_facts.document_id,
        prose_facts.fact_no,
        prose_facts.measure,
        measure_glossary.fact_table,
        prose_facts.value,
        prose_facts.unit,
        prose_facts.approximate,
        'prose' as source_kind,
        prose_facts.rule_id,
        prose_facts.rule_rank,
        prose_facts.section_key,
        prose_facts.span_start,
        prose_facts.span_end,
        prose_facts.orig_span_start,
        prose_facts.orig_span_end,
        prose_facts.sentence,
        prose_facts.fact_no = prose_measures.fact_no as is_chosen,
        prose_measures.is_conflict,
        prose_facts.parser_version

    from prose_facts
    inner join measure_glossary
        on prose_facts.measure = measure_glossary.measure
    inner join prose_measures
        on prose_facts.document_id = prose_measures.document_id
        and prose_facts.measure = prose_measures.measure

)

select * from routed_facts
