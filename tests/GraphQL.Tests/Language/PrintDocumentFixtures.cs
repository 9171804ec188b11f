// Generated from graphql-js 17.1.0: print(parse(source)) for each source below.
namespace Actors.GraphQL.Tests.Language;

/// <summary>Documents and what graphql-js 17.1.0 print() writes for them.</summary>
internal static class PrintDocumentFixtures
{
    public const string KitchenSinkQuerySource = """"""""
query queryName($foo: ComplexType, $site: Site = MOBILE, $list: [Int!]! = [1, 2] @dir) @onQuery {
  whoever123is: node(id: [123, 456]) {
    id ,
    ... on User @onInlineFragment {
      field2 {
        id ,
        alias: field1(first:10, after:$foo,) @include(if: $foo) {
          id,
          ...frag @onFragmentSpread
        }
      }
    }
    ... @skip(unless: $foo) {
      id
    }
    ... {
      id
    }
  }
}

mutation likeStory @onMutation {
  like(story: 123) @onField {
    story {
      id @onField
    }
  }
}

subscription StoryLikeSubscription($input: StoryLikeSubscribeInput @onVariableDefinition) @onSubscription {
  storyLikeSubscribe(input: $input) {
    story {
      likers {
        count
      }
      likeSentence {
        text
      }
    }
  }
}

fragment frag on Friend @onFragmentDefinition {
  foo(size: $size, bar: $b, obj: {key: "value", block: """
      block string uses \"""
  """, empty: {}, floats: [1.5e10, -0.25E-3]})
  veryLongFieldNameNumberOne(argumentNumberOne: "aaaaaaaaaaaaaaa", argumentNumberTwo: "bbbbbbbbbbbbbbbbb")
}

{
  unnamed(truthy: true, falsy: false, nullish: null),
  query
}

query { __typename }
"""""""";

    public const string KitchenSinkQueryExpected = """"""""
query queryName($foo: ComplexType, $site: Site = MOBILE, $list: [Int!]! = [1, 2] @dir) @onQuery {
  whoever123is: node(id: [123, 456]) {
    id
    ... on User @onInlineFragment {
      field2 {
        id
        alias: field1(first: 10, after: $foo) @include(if: $foo) {
          id
          ...frag @onFragmentSpread
        }
      }
    }
    ... @skip(unless: $foo) {
      id
    }
    ... {
      id
    }
  }
}

mutation likeStory @onMutation {
  like(story: 123) @onField {
    story {
      id @onField
    }
  }
}

subscription StoryLikeSubscription($input: StoryLikeSubscribeInput @onVariableDefinition) @onSubscription {
  storyLikeSubscribe(input: $input) {
    story {
      likers {
        count
      }
      likeSentence {
        text
      }
    }
  }
}

fragment frag on Friend @onFragmentDefinition {
  foo(
    size: $size
    bar: $b
    obj: {
      key: "value"
      block: """
      block string uses \"""
      """
      empty: {  }
      floats: [1.5e10, -0.25E-3]
    }
  )
  veryLongFieldNameNumberOne(
    argumentNumberOne: "aaaaaaaaaaaaaaa"
    argumentNumberTwo: "bbbbbbbbbbbbbbbbb"
  )
}

{
  unnamed(truthy: true, falsy: false, nullish: null)
  query
}

{
  __typename
}
"""""""";

    public const string DescribedOperationsSource = """"""""
"desc of op"
query Q("var desc" $a: Int) { f(list: [1111111111, 2222222222, 3333333333, 4444444444, 5555555555, 6666666666, 77777777]) g(o: {a: 1}) }
"""
frag desc
"""
fragment F on T { x }
"""""""";

    public const string DescribedOperationsExpected = """"""""
"desc of op"
query Q(
"var desc"
$a: Int
) {
  f(
    list: [
      1111111111
      2222222222
      3333333333
      4444444444
      5555555555
      6666666666
      77777777
    ]
  )
  g(o: { a: 1 })
}

"""frag desc"""
fragment F on T {
  x
}
"""""""";

    public const string KitchenSinkSdlSource = """"""""
"""
The root of everything.
"""
schema @custom { query: Root mutation: Mutations }

"A custom directive" directive @custom(
  "why it exists"
  reason: String = "because"
  level: Int! = 3
) repeatable on SCHEMA | OBJECT | FIELD_DEFINITION

directive @plain(a: [Int] = 1, b: Color = RED, c: Filter = {name: "x", tags: ["a", "b"]}) on FIELD | QUERY

"A date, in ISO 8601" scalar Date @specifiedBy(url: "https://tools.ietf.org/html/rfc3339")
scalar Money

"""
Multi-line description
  with indentation
and "quotes" and a trailing backslash \\
"""
type Root implements Node & Named @custom {
  id: ID!
  name: String @deprecated
  "single line field description"
  old(x: Int = 1, y: Float = 1.5, z: String = "a\"b\n"): String @deprecated(reason: "Use `name`.")
  search(
    "the text"
    text: String!
    first: Int = 10
    color: Color = GREEN
  ): [Result!]!
  when: Date
  amount: Money
}

interface Node { id: ID! }
interface Named implements Node { id: ID! name: String }

union Result = Root | Other
type Other { value: Float }

enum Color {
  "the red one"
  RED
  GREEN @deprecated(reason: "not green")
  """
  Blue,
  multi
  """
  BLUE
}

input Filter {
  name: String = "n"
  tags: [String!] = []
  nested: Filter
  color: Color = BLUE @deprecated
}

input Choice @oneOf { a: Int b: String }

type Mutations { doIt(input: Choice!, filter: Filter = {name: "z"}): Boolean }

extend type Other { more: [[Int!]]! }
extend enum Color { BLACK }
extend union Result = Third
type Third { x: Int }
"""""""";

    public const string KitchenSinkSdlExpected = """"""""
"""The root of everything."""
schema @custom {
  query: Root
  mutation: Mutations
}

"A custom directive"
directive @custom(
  "why it exists"
  reason: String = "because"
  level: Int! = 3
) repeatable on SCHEMA | OBJECT | FIELD_DEFINITION

directive @plain(a: [Int] = 1, b: Color = RED, c: Filter = { name: "x", tags: ["a", "b"] }) on FIELD | QUERY

"A date, in ISO 8601"
scalar Date @specifiedBy(url: "https://tools.ietf.org/html/rfc3339")

scalar Money

"""
Multi-line description
  with indentation
and "quotes" and a trailing backslash \\
"""
type Root implements Node & Named @custom {
  id: ID!
  name: String @deprecated
  "single line field description"
  old(x: Int = 1, y: Float = 1.5, z: String = "a\"b\n"): String @deprecated(reason: "Use `name`.")
  search(
    "the text"
    text: String!
    first: Int = 10
    color: Color = GREEN
  ): [Result!]!
  when: Date
  amount: Money
}

interface Node {
  id: ID!
}

interface Named implements Node {
  id: ID!
  name: String
}

union Result = Root | Other

type Other {
  value: Float
}

enum Color {
  "the red one"
  RED
  GREEN @deprecated(reason: "not green")
  """
  Blue,
  multi
  """
  BLUE
}

input Filter {
  name: String = "n"
  tags: [String!] = []
  nested: Filter
  color: Color = BLUE @deprecated
}

input Choice @oneOf {
  a: Int
  b: String
}

type Mutations {
  doIt(input: Choice!, filter: Filter = { name: "z" }): Boolean
}

extend type Other {
  more: [[Int!]]!
}

extend enum Color {
  BLACK
}

extend union Result = Third

type Third {
  x: Int
}
"""""""";
}
