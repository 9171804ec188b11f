namespace Actors.Rules;
