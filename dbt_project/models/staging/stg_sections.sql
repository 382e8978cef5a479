with

source as (

    select * from {{ source('staging', 'sections') }} {{ in_build_scope() }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(section_no as integer) as section_no,
        cast(section_key as varchar) as section_key,
        cast(heading as varchar) as heading,
        cast(span_start as integer) as span_start,
        cast(span_end as integer) as span_end,
        cast(parser_version as varchar) as parser_version

    from source

)

select * from renamed
