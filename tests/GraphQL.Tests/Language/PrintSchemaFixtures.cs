// Generated from graphql-js 17.1.0: printSchema(buildSchema(sdl)) for each SDL below.
namespace Actors.GraphQL.Tests.Language;

/// <summary>SDL inputs and what graphql-js 17.1.0 printSchema prints for them.</summary>
internal static class PrintSchemaFixtures
{
    public const string KitchenSinkSdl = """"""""
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

    public const string KitchenSinkExpected = """"""""
"""The root of everything."""
schema {
  query: Root
  mutation: Mutations
}

"""A custom directive"""
directive @custom(
  """why it exists"""
  reason: String = "because"
  level: Int! = 3
) repeatable on SCHEMA | OBJECT | FIELD_DEFINITION

directive @plain(a: [Int] = 1, b: Color = RED, c: Filter = { name: "x", tags: ["a", "b"] }) on FIELD | QUERY

"""A date, in ISO 8601"""
scalar Date @specifiedBy(url: "https://tools.ietf.org/html/rfc3339")

scalar Money

"""
Multi-line description
  with indentation
and "quotes" and a trailing backslash \\
"""
type Root implements Node & Named {
  id: ID!
  name: String @deprecated

  """single line field description"""
  old(x: Int = 1, y: Float = 1.5, z: String = "a\"b\n"): String @deprecated(reason: "Use `name`.")
  search(
    """the text"""
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

union Result = Root | Other | Third

type Other {
  value: Float
  more: [[Int!]]!
}

enum Color {
  """the red one"""
  RED
  GREEN @deprecated(reason: "not green")

  """
  Blue,
  multi
  """
  BLUE
  BLACK
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

type Third {
  x: Int
}
"""""""";

    public const string DescriptionsSdl = """"""""
"A schema with a description keeps its schema block even with common names."
schema { query: Query subscription: Subscription }

type Query {
  "A rather long description that definitely goes beyond seventy characters in total length."
  a: String
  "Ends with a quote \""
  b: String
  "Contains triple \"\"\" quotes"
  c: String
  "\n  starts with newline"
  d: String
  "   leading spaces"
  e: String
  "has\ttab and \u0001 control"
  f(
    "arg with description"
    x: Int
    y: Int = -5
  ): String
  "trailing newline\n"
  g: String
  "multi\nline\n  indented"
  h(b: Boolean = false, n: String = null, l: [[ID]] = [["1", 2]]): [String]! @deprecated(reason: "")
}

type Subscription { tick: Int }
"""""""";

    public const string DescriptionsExpected = """"""""
"""
A schema with a description keeps its schema block even with common names.
"""
schema {
  query: Query
  subscription: Subscription
}

type Query {
  """
  A rather long description that definitely goes beyond seventy characters in total length.
  """
  a: String

  """
  Ends with a quote "
  """
  b: String

  """Contains triple \""" quotes"""
  c: String

  "\n  starts with newline"
  d: String

  """   leading spaces"""
  e: String

  "has\ttab and \u0001 control"
  f(
    """arg with description"""
    x: Int
    y: Int = -5
  ): String

  "trailing newline\n"
  g: String

  """
  multi
  line
    indented
  """
  h(b: Boolean = false, n: String = null, l: [[ID]] = [["1", 2]]): [String]! @deprecated(reason: "")
}

type Subscription {
  tick: Int
}
"""""""";

    public const string ValidationSchemaExpected = """"""""
schema {
  query: QueryRoot
}

directive @onField on FIELD

interface Mammal {
  mother: Mammal
  father: Mammal
}

interface Pet {
  name(surname: Boolean): String
}

interface Canine implements Mammal {
  name(surname: Boolean): String
  mother: Canine
  father: Canine
}

enum DogCommand {
  SIT
  HEEL
  DOWN
}

type Dog implements Pet & Mammal & Canine {
  name(surname: Boolean): String
  nickname: String
  barkVolume: Int
  barks: Boolean
  doesKnowCommand(dogCommand: DogCommand): Boolean
  isHouseTrained(atOtherHomes: Boolean = true): Boolean
  isAtLocation(x: Int, y: Int): Boolean
  mother: Dog
  father: Dog
}

type Cat implements Pet {
  name(surname: Boolean): String
  nickname: String
  meows: Boolean
  meowsVolume: Int
  furColor: FurColor
}

union CatOrDog = Cat | Dog

type Human {
  name(surname: Boolean): String
  pets: [Pet]
  relatives: [Human]
}

enum FurColor {
  BROWN
  BLACK
  TAN
  SPOTTED
  NO_FUR
  UNKNOWN
}

input ComplexInput {
  requiredField: Boolean!
  nonNullField: Boolean! = false
  intField: Int
  stringField: String
  booleanField: Boolean
  stringListField: [String]
}

input OneOfInput @oneOf {
  stringField: String
  intField: Int
}

type ComplicatedArgs {
  intArgField(intArg: Int): String
  nonNullIntArgField(nonNullIntArg: Int!): String
  stringArgField(stringArg: String): String
  booleanArgField(booleanArg: Boolean): String
  enumArgField(enumArg: FurColor): String
  floatArgField(floatArg: Float): String
  idArgField(idArg: ID): String
  stringListArgField(stringListArg: [String]): String
  stringListNonNullArgField(stringListNonNullArg: [String!]): String
  complexArgField(complexArg: ComplexInput): String
  oneOfArgField(oneOfArg: OneOfInput): String
  multipleReqs(req1: Int!, req2: Int!): String
  nonNullFieldWithDefault(arg: Int! = 0): String
  multipleOpts(opt1: Int = 0, opt2: Int = 0): String
  multipleOptAndReq(req1: Int!, req2: Int!, opt1: Int = 0, opt2: Int = 0): String
}

type QueryRoot {
  human(id: ID): Human
  dog: Dog
  cat: Cat
  pet: Pet
  catOrDog: CatOrDog
  complicatedArgs: ComplicatedArgs
}
"""""""";
}
