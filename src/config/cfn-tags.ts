// CloudFormation short-form tags (`!GetAtt Q.Arn`, `!Ref Q`, `!Sub ...`) turned into their
// long form (`{"Fn::GetAtt": ["Q", "Arn"]}`), as the Serverless Framework reads them.
import { YAMLMap, type CollectionTag, type ScalarTag, type YAMLSeq } from 'yaml';

const FUNCTIONS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!GetAtt': 'Fn::GetAtt',
  '!Sub': 'Fn::Sub',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!ImportValue': 'Fn::ImportValue',
  '!FindInMap': 'Fn::FindInMap',
  '!GetAZs': 'Fn::GetAZs',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Not': 'Fn::Not',
  '!Transform': 'Fn::Transform',
  '!Length': 'Fn::Length',
  '!ToJsonString': 'Fn::ToJsonString',
};

function wrap(fn: string) {
  return (value: YAMLMap | YAMLSeq): YAMLMap => {
    const map = new YAMLMap();
    map.set(fn, value);
    return map;
  };
}

/** yaml customTags for every CloudFormation intrinsic function, in scalar, sequence and mapping form. */
export function cloudFormationTags(): (ScalarTag | CollectionTag)[] {
  const tags: (ScalarTag | CollectionTag)[] = [];
  for (const [tag, fn] of Object.entries(FUNCTIONS)) {
    tags.push({
      tag,
      // `!GetAtt Q.Arn` is the one short form whose scalar is itself split.
      resolve: (str: string) => ({ [fn]: fn === 'Fn::GetAtt' ? splitGetAtt(str) : str }),
    });
    tags.push({ tag, collection: 'seq', resolve: wrap(fn) } as CollectionTag);
    tags.push({ tag, collection: 'map', resolve: wrap(fn) } as CollectionTag);
  }
  return tags;
}

function splitGetAtt(str: string): string[] {
  const dot = str.indexOf('.');
  return dot < 0 ? [str] : [str.slice(0, dot), str.slice(dot + 1)];
}
