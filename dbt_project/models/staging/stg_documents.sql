with

source as (

    select * from {{ source('staging', 'documents') }} {{ in_build_scope() }}

),

payloads as (

    select * from {{ source('staging', 'document_payloads') }} {{ in_build_scope() }}

),

renamed as (

    select
        cast(d.document_id as varchar) as document_id,
        cast(d.source_path as varchar) as source_path,
        cast(d.source_file as varchar) as source_file,
        cast(d.file_type as varchar) as file_type,
        cast(d.byte_size as bigint) as byte_size,
        cast(d.encoding as varchar) as encoding,
        cast(d.encoding_rule as varchar) as encoding_rule,
        cast(d.replacement_count as integer) as replacement_count,
        cast(d.script as varchar) as script,
        cast(d.pinyin_removed as integer) as pinyin_removed,
        cast(p.original_text as varchar) as original_text,
        cast(p.normalized_text as varchar) as normalized_text,
        cast(p.offset_map as varchar) as offset_map,
        cast(p.grids_json as varchar) as grids_json,
        cast(d.parser_version as varchar) as parser_version

    from source as d
    left join payloads as p on p.document_id = d.document_id

)

select * from renamed
