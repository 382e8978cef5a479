{#- One row per input document: what the report is, and which rule decided its year and date. -#}

with

documents as (

    select * from {{ ref('stg_documents') }}

),

report_metadata as (

    select * from {{ ref('stg_report_metadata') }}

),

agency_divisions as (

    select * from {{ ref('int_agency_divisions') }}

),

quarantine as (

    select * from {{ ref('stg_quarantine') }}

),

quarantined_documents as (

    select distinct document_id
    from quarantine

),

final as (

    select
        documents.document_id,
        agency_divisions.agency_key,
        report_metadata.report_year,
        report_metadata.report_year_rule,
        report_metadata.report_year_evidence,
        report_metadata.published_on,
        report_metadata.published_on_rule,
        report_metadata.format_era,
        report_metadata.title,
        documents.script,
        documents.encoding,
        documents.encoding_rule,
        documents.replacement_count,
        documents.source_file,
        documents.source_path,
        documents.file_type,
        documents.parser_version,
        quarantined_documents.document_id is not null as is_quarantined

    from documents
    left join report_metadata
        on documents.document_id = report_metadata.document_id
    left join agency_divisions
        on report_metadata.agency = agency_divisions.agency
        and report_metadata.province is not distinct from agency_divisions.province
    left join quarantined_documents
        on documents.document_id = quarantined_documents.document_id

)

select * from final {{ in_build_batch() }}
order by document_id
