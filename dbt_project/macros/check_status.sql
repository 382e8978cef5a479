{#- The one tolerance of every check: two figures are equal within it (float sums of printed integers). -#}
{% macro check_tolerance() -%}
    0.000001
{%- endmacro %}

{#- true when left and right agree within the check tolerance. -#}
{% macro values_agree(left, right) -%}
    abs({{ left }} - {{ right }}) <= {{ check_tolerance() }}
{%- endmacro %}

{#- A check's status: NOT_EVALUABLE when `unknown` holds, else PASS when the two sides agree, else FAIL. -#}
{% macro check_status(left, right, unknown) -%}
    case
        when {{ unknown }} then 'NOT_EVALUABLE'
        when {{ values_agree(left, right) }} then 'PASS'
        else 'FAIL'
    end
{%- endmacro %}
