using System.Text.Json;
using Actors.Grains.Fleet;
using Actors.Postgres.Serialization;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>
/// A card finds the answer for a retried idempotency key through hashes of the recent keys. Over random keys (many
/// repeated, some colliding in length), evictions and reloads from stored JSON, it must find exactly what a plain search
/// of the remembered answers finds: the newest answer with that key, or none once it was evicted.
/// </summary>
public sealed class RememberedAnswerProperties
{
    private const int Limit = 5;

    private sealed record Step(bool Reload, string Key);

    private static readonly Gen<Step> Steps = Gen.Zip(Gen.Frequency((1, Gen.Constant(true)), (5, Gen.Constant(false))), Gen.Choose(0, 12))
        .Select(x => new Step(x.Item1, x.Item2 < 10 ? $"key-{x.Item2}" : $"k{x.Item2}"));

    [Fact]
    public void Recall_finds_what_a_search_of_the_recent_answers_finds()
    {
        var property = Prop.ForAll(Gen.ListOf(Steps).Select(s => s.ToArray()).ToArbitrary(), steps =>
        {
            var card = new CardState();
            var model = new List<RememberedAnswer>();
            var sequence = 0L;
            foreach (var step in steps)
            {
                if (step.Reload) card = JsonSerializer.Deserialize<CardState>(JsonSerializer.Serialize(card, GrainJson.Options), GrainJson.Options)!;
                var expected = model.LastOrDefault(a => a.Key == step.Key);
                if (card.Recall(step.Key) != expected) return false;
                if (expected is not null) continue; // a retry is answered from memory, not remembered again
                var answer = new RememberedAnswer(step.Key, "request", ++sequence, true, Instant.FromUnixTimeSeconds(sequence), null);
                card.Remember(answer, Limit);
                model.Add(answer);
                if (model.Count > Limit) model.RemoveAt(0);
                if (!card.RecentAnswers.SequenceEqual(model)) return false;
            }
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public void An_answer_list_replaced_from_outside_is_searched_as_it_now_is()
    {
        var card = new CardState();
        card.Remember(new RememberedAnswer("first", "r", 1, true, Instant.FromUnixTimeSeconds(1), null), Limit);
        Assert.NotNull(card.Recall("first"));
        card.RecentAnswers = [new RememberedAnswer("second", "r", 2, false, Instant.FromUnixTimeSeconds(2), null)];
        Assert.Null(card.Recall("first"));
        Assert.Equal(2, card.Recall("second")!.Sequence);
    }
}
