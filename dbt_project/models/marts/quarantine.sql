{#- Documents set aside, one row per (document, stage), with the reason. -#}

with

quarantine_entries as (

    select * from {{ ref('stg_quarantine') }}

),

final as (

    select
        document_id,
        source_path,
        stage,
        reason_code,
        message,
        parser_version,
        first_seen,
        last_seen

    from quarantine_entries

)

select * from final
order by document_id, stage
