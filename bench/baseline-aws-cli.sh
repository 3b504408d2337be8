#!/usr/bin/env bash
# The shell loop people write with the AWS CLI and jq: describe the stream, take its first shard
# from TRIM_HORIZON, get-records 1000 at a time until an empty page (or the shard's end), one
# record per line. Records stay in DynamoDB's marshalled form (the CLI does not unmarshall).
#
#   bench/baseline-aws-cli.sh ENDPOINT STREAM_ARN MAX_PAGES
set -euo pipefail
endpoint=$1
stream_arn=$2
max_pages=$3

shard_id=$(aws dynamodbstreams describe-stream --endpoint-url "$endpoint" --stream-arn "$stream_arn" \
  --query 'StreamDescription.Shards[0].ShardId' --output text)
iterator=$(aws dynamodbstreams get-shard-iterator --endpoint-url "$endpoint" --stream-arn "$stream_arn" \
  --shard-id "$shard_id" --shard-iterator-type TRIM_HORIZON --query ShardIterator --output text)
pages=0
while [ -n "$iterator" ] && [ "$pages" -lt "$max_pages" ]; do
  page=$(aws dynamodbstreams get-records --endpoint-url "$endpoint" --shard-iterator "$iterator" --limit 1000 --output json)
  pages=$((pages + 1))
  jq -c '.Records[]' <<<"$page"
  [ "$(jq '.Records | length' <<<"$page")" -eq 0 ] && break
  iterator=$(jq -r '.NextShardIterator // empty' <<<"$page")
done
