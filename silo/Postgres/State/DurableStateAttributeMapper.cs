using System.Reflection;
using Actors.Postgres.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Timers;

namespace Actors.Postgres.State;

/// <summary>Makes the <see cref="IDurableState{TState}"/> or <see cref="IJournaledState{TState, TEntry}"/> a <c>[DurableState]</c> parameter asks for.</summary>
internal sealed class DurableStateAttributeMapper : IAttributeToFactoryMapper<DurableStateAttribute>
{
    public Factory<IGrainContext, object> GetFactory(ParameterInfo parameter, DurableStateAttribute attribute)
    {
        var type = parameter.ParameterType;
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : null;
        var implementation =
            definition == typeof(IDurableState<>) ? typeof(DurableState<>).MakeGenericType(type.GetGenericArguments())
            : definition == typeof(IJournaledState<,>) ? typeof(JournaledState<,>).MakeGenericType(type.GetGenericArguments())
            : throw new ArgumentException(
                $"Parameter '{parameter.Name}' of {parameter.Member.DeclaringType} has [DurableState] but is a {type}: it must be IDurableState<T> or IJournaledState<T, TEntry>.");
        var create = implementation.GetMethod("Create", BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)!;
        return context => create.Invoke(null, [
            context,
            context.ActivationServices.GetRequiredService<PostgresGrainStorage>(),
            context.ActivationServices.GetRequiredService<IReminderRegistry>(),
            context.ActivationServices.GetRequiredService<WakeUpOptions>(),
        ])!;
    }
}
