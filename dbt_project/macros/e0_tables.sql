{#-
  The pre-2019 statistics tables (nianbao/tables/stats_e0.py): their table_ids
  (one per family; era 'pre2019') and the rows each family defines as the sum
  of its 其中 rows. Generated from the Python catalog (stats_e0.sum_identities);
  tests/test_stats_e0.py keeps the two equal.
-#}

{#- e0_sh 上海式 (§4a), e0_fj 福建式 附表 (§4b), e0_gb 国办 2014–2018 (§4c). -#}
{% macro e0_tables() -%}
    {{ return(['e0_sh', 'e0_fj', 'e0_gb']) }}
{%- endmacro %}

{#- (table_id, total row_key, [part row_keys]): total = Σ parts, in every value column. -#}
{% macro e0_sum_identities() -%}
    {{ return([
        ('e0_sh', 'requests.total', ['requests.in_person', 'requests.fax', 'requests.email', 'requests.online', 'requests.letter', 'requests.other']),
        ('e0_sh', 'replies.refused', ['replies.refused.not_gov_info', 'replies.refused.not_exist', 'replies.refused.not_held', 'replies.refused.unclear', 'replies.refused.exempt_1', 'replies.refused.exempt_2', 'replies.refused.exempt_3', 'replies.refused.exempt_4', 'replies.refused.exempt_5', 'replies.refused.exempt_6', 'replies.refused.other']),
        ('e0_sh', 'replies.total', ['replies.granted', 'replies.partial', 'replies.refused']),
        ('e0_fj', 'requests.total', ['requests.in_person', 'requests.fax', 'requests.email', 'requests.online', 'requests.letter', 'requests.other']),
        ('e0_fj', 'replies.total', ['replies.granted', 'replies.partial', 'replies.refused']),
        ('e0_gb', 'requests.total', ['requests.in_person', 'requests.fax', 'requests.online', 'requests.letter']),
        ('e0_gb', 'requests.closed', ['requests.closed_on_time', 'requests.closed_extended']),
        ('e0_gb', 'replies.refused', ['replies.refused.state_secret', 'replies.refused.commercial_secret', 'replies.refused.privacy', 'replies.refused.three_security', 'replies.refused.not_gov_info', 'replies.refused.law_other']),
        ('e0_gb', 'replies.total', ['replies.already_public', 'replies.partial', 'replies.granted', 'replies.refused', 'replies.not_this_agency', 'replies.not_exist', 'replies.told_amend', 'replies.told_other_channel']),
        ('e0_gb', 'reviews.total', ['reviews.upheld', 'reviews.corrected', 'reviews.other']),
        ('e0_gb', 'suits.total', ['suits.upheld', 'suits.corrected', 'suits.other']),
        ('e0_gb', 'staff.total', ['staff.full_time', 'staff.part_time']),
    ]) }}
{%- endmacro %}
